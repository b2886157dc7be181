const key =
  "-----BEGIN PRIVATE KEY-----\n" +
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAEyaZ+8XkudcqamTH/mwPKpqvp88eUR0Hu0r\n" +
  "QA/7Da9wuCF5+yLgNWveheELu5NNRjT02qRRTy5byTSj8VM3SgmptCz7S24nJOg2\n" +
  "BSaSuIvSBgIUnC101c6I+/QVpLimwFYfJkjUPXZpgd2+yw4FPa/kTPrN8QXHDyIM\n" +
  "/JOmgIAl2y1O4FToqbnHVyReVSxHGUFXVEFgD+7xbVu57qweZz3j4R5dz2buhM+h\n" +
  "knDA/Zv9dQ7iEsR4ICiLyqrp8xVWHPJqBJw0upLd9Dz2/afzkrvIJ1ZR/tiBhpnd\n" +
  "MjOo+dDeQxe5ojIfC00qsZhepToLbuXUNF6OJfIbrkqxB/PXhzJOIg1YH0kxizzO\n" +
  "JMZGAdFIABIwSqMBeQEcmKp/rthMlR8xF5gmCq07J7DOSr6XE/m3H6pRDy11tBo6\n" +
  "bfdp5bl8JUcuL0sia0x9Cpp40K2PazoTTczURfax9185tOl+8Z7+5HQ/DCdQMktp\n" +
  "3P9LhqZDMcxe2vv3kvwCLcCMsR/npHtZnUjKedLvMlDND0Cj5ID2vLa51Q1vxP6e\n" +
  "o3/mXsQ0Ftc8tr6M38BXktW0Pp2iqcamjOJ/75KWTjbo55WxgutUd8vlHt5X59lr\n" +
  "P+y8tdHr9Drwy31uknnM0ML/RrVYz7Fc872LN9dbCB/EmzB0JXwzZCsye3xSZo7s\n" +
  "+BT0K067/cvU1QSjIag1h/0+VrOiWaDfIw8G1TgIqrIeEIbUL+tFX3nGYMkAbCsh\n" +
  "RlC/TW3AB//lAFnm95K0Q/JEYwCXa9K9avz/DVFJVnOPsTbFvrk+RExdjns1O/9z\n" +
  "DoDI3Z07gvX2wpyE7WBFEnkT3Qtk1juGRudgEcY1PLxz5dIEnCSn+Hz1gAkdkfDz\n" +
  "tperr1uL4u7+WzN+R9WO4r8UTrkQB5q+h7KWg/1xErrRY5t6pxe843bIIeLeHSWR\n" +
  "DZrbTeGirN/z5Aa8+iwG6iNERPtRcRcyzNAViL52cojvdeinK++T89HJSJeil+TH\n" +
  "zYYpJxns7p950Dzrp8ZFMOV/dnfCDvCci60lLbN9n8zoSlyLyo2EByjgMhtg0Cj7\n" +
  "im2+8d6RrEGkUSMbKukNCz7hcFlQ3RzfI2OnIUZZe0AuBDLNRF4IdBVLXlHcL8t7\n" +
  "xwSdxzMVhPEev6jSrsrgGoiXBmc01IGgK5LOrAaGFv2UqhUwK7u7COQCr8gJOrbX\n" +
  "YrL2sMjf9Xao78/SXQwQZ3S+c8a3Yc/6t4ZJZn/lQBWLxNmDoPkaQtwnipClo9QT\n" +
  "iLAZxwC7aHZEDVbhT6uJ8ydE13lrZGPjguOEKt2IFq3N5rQ06hlITl6djq0lKZip\n" +
  "yQzVAieKVzEdA65F3FtIZvcSWrnCs9XneNfVky8dsVN2/m9sgBKCHKL2ueYH4/5k\n" +
  "hyILWxfcFlFGnssaipkrP/C1lrd6W0cA/KYTGKEP0rOuQBYK4Ed5pxFa8He7bAYo\n" +
  "TBMx/qSonRnXO90c2hunieiFNjcTF87aCIfcHbLzXeiwbSD9iCSC+CcSZEiluETx\n" +
  "a7AGTdtcQ3PNpZl/uvM4s1hFc4act7+aNMmVGLPrv5vT+ItEB0uh6K+UhaQxb5Kn\n" +
  "JpDf1cYOWcr9IJsxI23KmVfC9srbejI9LePEdHQRS4o=\n" +
  "-----END PRIVATE KEY-----\n";
module.exports = { key };
