package com.acme.tls;

final class TlsFixture {
  static final String KEY = "-----BEGIN RSA PRIVATE KEY-----\n"
      + "xg2Fxr9BtA4E39WXykYH606gEK4mN8ay6Nfs67024iOrs46ttUtmZoW0U+DXvYeL\n"
      + "YkeoG+eHb4qukYMUWBUm4IshgRGDdm8swiTV0uj+hVhs/vbRwDmD4kEuhGK03Q6Q\n"
      + "vWgoArmy8eJ7ZRPUZwdGkaYoTsX5f1S8zT/q8Ddc9ZhvkvEwb9m4IY+Mv72ko36C\n"
      + "pLZw4SEe0e89kywOMGrFbbov2KcvrSNsQ7R9mEHeFNUaDu/YFBLpySMEGvgQ78rT\n"
      + "/ZkiQjFaDsNJb8NpMUKApqjLCBs0m7obEaM9xwkvlUmsK1R8U4gnUhUniWRgDGEx\n"
      + "5mbC3RNqzBV0CSz0L/RVYUHXXYzn4swJhqy02cC1FsJR83p8WV9NOyBMFZMtOLwH\n"
      + "JmUdZBBCoKsgsq9SN7TNoUU196myFwT2f1FHzv6/iK/5gYtBuf22UkyHuSRq2yiB\n"
      + "bDyxpBEGPq/9cztZgmRqE3N5AMyZDwirpoSBEKPS2oU0D6/75Wp/9Y/oYEj+uV3e\n"
      + "RnuWdknxziNV5P+6FW4uJbUFE4onuwB+EUnE8/tr4DVK3CVVYyIyBpG4REAXAT6b\n"
      + "BeiNS9u2BD2UNiqvWxeYcs2MUONhYYIdhAEjocOFj0F+VQ6Q05lMrQqhQcBHmqJ+\n"
      + "lc/uSqhT0Ldox0boYypqmTwVc17PTtubhKuwVUDKoc1SJZML6Qb1DW3IFlCIcJmD\n"
      + "5ub3Pu9doS4iv1FsOcj6JfIYSWDF5WhN+KtYCSeBj1+qK+3XrVDAu/4Ski9nWIUB\n"
      + "s6yGxNLED20vWc2rlRwRklmTNNITg0E0eKtloEjmeVboZbXOPP7MA58HRXCorwLz\n"
      + "xk56ZNTwVQhbKrZVeCYOXSz/32PBGMTMN3cJnlOeTqvMVpjd477vAzJOOm5n3qo/\n"
      + "u2kCSibyEZ6+OKIGwZYAPiMmakylXCGyccZ5HDFFU+vYKAMgV0mDa2l2ZF06xTe0\n"
      + "TNyCWKC/nSDfsL8hwFHFHCPeplwKk/abjnNQGbJUPjDGXrA771y4pTrlDu6m90hZ\n"
      + "ytjeVQxAvkH8l2knIMBrpTTtTp/GBwYtf5474xtiW/BxPX1+vxvNAzlwUwqQPvnF\n"
      + "N9l8q9GKVFS26SRx31Qi6fPvRYb0/BTqXesYHWE2jrcnf9QO6Ugz3VzJGts/AGM5\n"
      + "C39b505W8Pc04GIiJoMdaxu7XEP4/zckL4WvdefQMJ2FNn+blGRGieruMBjqBS0h\n"
      + "R7IVIC0BvA93uiFJ6ewiYsXGwrEM27DNjidb2BdnYhTD876LJurujpOYzFREj9XR\n"
      + "gua1IZO8P7rcvTMWnlHSW0JHTAIGtMu12UGVHabjfK7GsHy5umhdbOJayOA4hFIv\n"
      + "wpIuOD31jaVTI+hbNlX7npFBqjUqGP0npxLC4krypAgq3wJq1HboWOSi5MSgInyv\n"
      + "HQOXpkuyNkxQ8k1zIo8ZutmKtdRheF8qVjVnznaOGMEPASRO7eFN6f8scig8nnaC\n"
      + "oP7m0ZmgOjQzcGh2B3YbxjuMs9fKn7DFuVR289efvuIAGzRk7kBBo+D2aBLeIYmL\n"
      + "iEdiSVzuK6sD5HsdySw1Yx/cigqk1FT9InvUfELijAjVcI4NYC4=\n"
      + "-----END RSA PRIVATE KEY-----\n"
      ;

  private TlsFixture() {}
}
