package com.acme;
class LegacyClient {
    private String password = "hHEwZLDh9cywzi#3";
    static final String pwd = "K7aJ3NuRQYeKL4*0";
    private String password = System.getenv("LEGACY_PASSWORD");
}
