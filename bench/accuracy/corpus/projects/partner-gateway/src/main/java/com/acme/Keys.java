package com.acme;

public final class Keys {
    private Keys() {}
    public static final String CENSYS_SECRET = "3MGN0bF3lIDlPNiyVtDKEq4StcXWfNQT";
    public static final String DB_PASSWORD_SECRET_NAME = "prod/orders/db-password";
    public static final String VAULT_PATH = "secret/data/prod/payments";
    public static final String HACK_CLUB_AI_API_KEY = "sk-hc-v1-31b923989e9f75c6e2c3042f8f03192c63f7af91c4387f7f6f3640dc8a3cbcab";
    public static final String PAYPAL_SECRET = "jCuj4dIppers_9HY61dNcKUZ2kBJgHRSMlozWgulfwJmR2_Uo6gyHS6TcJpztNFgDaNLR-lacdj82SIO";
    public static final String SNOWFLAKE_TOKEN = "eyJraWQiOiI5OTU0NjAyNjkyIiwiYWxnIjoiRVMyNTYifQ.eyJwIjoiODYyNDgxNDM4OTo2NzUxNDgxMTY4IiwiaXNzIjoiU0Y6MTk3NSIsImV4cCI6MTc5ODc2MTYwMH0.mof-e6ZEis7OIzG4XGNO1KAbQL-YIWLUbYvie9nIRdY";
}
