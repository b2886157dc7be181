package com.acme;
class LegacyClient {
    private String password = "Meadow9980.harbor";
    static final String pwd = "Granite8795#ember";
    private String password = System.getenv("LEGACY_PASSWORD");
}
