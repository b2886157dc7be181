package com.acme;
class LegacyClient {
    private String password = "Mranite6165*otter";
    static final String pwd = "snQk5RDkM9FKPv@9";
    private String password = System.getenv("LEGACY_PASSWORD");
}
