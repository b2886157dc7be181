package com.acme;
class LegacyClient {
    private String password = "P5EkiUqTDKGiGv*8";
    static final String pwd = "ember.Otter66";
    private String password = System.getenv("LEGACY_PASSWORD");
}
