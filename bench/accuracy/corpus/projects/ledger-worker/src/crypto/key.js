const key =
  "-----BEGIN PRIVATE KEY-----\n" +
  "MIIEvQIBADANBgkqhkiG9w0BAQEFADU3pzubYqe5r9xAg/YNaNmc7/eyoEUTbz7A\n" +
  "SzcBL5hs1YbwNTq4rYr47zWfY00g/67QTfSF62DzgKVDoMnLgZ8VMTCir0GwjCuF\n" +
  "Qj1R1KMzXlBweI8StBd2URByACinOfkPRWxWh/xocuNwDXYAWOs80xNN5QnZd7In\n" +
  "7e/9mmzNp+K7JSWzkBi5djsh3ArPAxXVP5LArVfbZMepDqsRUXDCOmnB7O6LnFe5\n" +
  "XgYeN52IVxy/qIPaQCT4IyOFBk/nDMqaWzyRsCyDCcFiHRkw8hzko2p/Cr9x8Dqa\n" +
  "3CW9qUrfawNXPJeRvIU2rF3QlMaZaQdbCLDS8H2U49HoWuR5o5oQAIGGOMZPS9HL\n" +
  "5PTEC6dOHLe0jjYi4Gm382RAPy1Ew+2qgQjWE8VD/LZQeGU6wWruRCf2rdClT1an\n" +
  "J+1ORIZnyCF1GcYX+HRwOIFRAigoS+w3n7gz472UHJjbGMMAxl/T3eWadUIOM61r\n" +
  "EmOLMfS8c2q9rvH3ETh1VRvXK/VnrUYe/mQa9X2AFZY1XsXq555qvlVVNOlNtHhX\n" +
  "4gWPGYfWfv4VmPPW/T1sEm7Xpgqp1AxjOE1bh2IH8X9q20mV8xd5Zm7VDdTXm5Tv\n" +
  "1Rtx1+58oJZsFIUBNtX5R84Lllui667L3D1eleb6MkxcEtrf4/f1GWnF8Pe4ql0z\n" +
  "xYviVKkQwQ8cYS3uC1Iebe4IS9vhKQR8Ss//FawWIiGQYfO2ZhokhVUDfS6dYR3u\n" +
  "wtwomWTizh3uyARJ2vXLha3vCi172uctYpIILRO95CoA7Fxn036VzhsTyXfsp/L5\n" +
  "SmJzwVvt1eUoYkeAMRhUb7VkcducV6WLxY4QoH0/4x7idiXBD+cLlneGNFUqr6Wh\n" +
  "x+DOrvKzs4/oobL9LWWQierF5qAyW0pPg3TCcpVYAu8D32m1g+bk/i75Ps/KD/WZ\n" +
  "ayf/U0mYvg3rU1IFmCWbANDu8JMBwe/MbGZs7VKLDMONWgEDtNp0BNUgiFssEkGQ\n" +
  "OtcY6RQgQvFxJPi3pWjoVawhdtvfsEQb0kjgISj/jCQRprUajpvcB4a19tuf9EaJ\n" +
  "sb1PbxlC2sXXX1PC/Lg7bmA4pp3KbpN3VEKpOTOIw3D+QkkQsLF3yNDPgWzt1MDq\n" +
  "v9tHE1UqNk8LUr8WOr1hbsQTBNAUlZKkouom/LVydz+MGKmMCNWlqcG2oKbqOIpk\n" +
  "MrTy27YaCfJ5vPCM7K8tEitXiZyMjRLpBUo9rQ4MaO0XfkeqeER670T+N7M9Qu+W\n" +
  "ooKIUDnWtZeANlB1UfKvfiyl/n3x4X2+ETIReAu7dVSDyNrcisbl0UipTet1ETZI\n" +
  "Kbb6oaDYCXjzIzwhel+LH+5ka8D+vWkIYyyKrIHKlnHLqZSDReBXKHJyGlvVDRyU\n" +
  "pMGnRWJdgx1Qs82O00PaIqunLoruTTBWVNeFqZ5krC613a98gN6+xtKXJcheTC+t\n" +
  "O2mwZMmHrcv6wsNWjZpOSBgDRij7D8C+HVjx5bf/CFSTHLK3JHHteHmTlQ6tsAqJ\n" +
  "HsLwH/Ft7JBICzAsDsTolYCqXARNkTzF1fu9Oph5RetusJNVieHC+jHZsquqZwBG\n" +
  "uCotXeK1JDBsN4pnAS+YkFyFCRJnLkhGTC2ugND3oPI=\n" +
  "-----END PRIVATE KEY-----\n";
module.exports = { key };
