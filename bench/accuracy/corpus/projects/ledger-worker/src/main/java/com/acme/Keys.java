package com.acme;

public final class Keys {
    private Keys() {}
    public static final String CHATWORK_API_TOKEN = "691be536831f085e69b884c6f79dd34e";
    public static final String JWT_SECRET = "{{ .Values.jwtSecret }}";
    public static final String SESSION_SECRET = "${SESSION_SECRET}";
    public static final String VAULT_TOKEN = "s.F0jDTSysAVuaeS8ooiYwk1LP";
    public static final String SPARKPOST_KEY = "108e33cb22f628d544520db2ba6c56e9cfc6e6a7";
    public static final String SUPABASE_ACCESS_TOKEN = "sbp_969014d7f332e84f0c62fbad960d40f4b86af68c";
}
