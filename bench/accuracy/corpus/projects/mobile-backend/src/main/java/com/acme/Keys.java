package com.acme;

public final class Keys {
    private Keys() {}
    public static final String BUTTERCMS_TOKEN = "689310cd8599cab27e8e8fd902e8035b998dad30";
    public static final String TENANT_ID = "12bda8e3-318d-4fac-1abc-0ea82b27a5f9";
    public static final String AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public static final String SECRET_KEY = "sk-lf-f83b125d-a7fc-4f72-81b4-93d796217077";
    public static final String STABILITY_API_KEY = "sk-syqfKFckQrHlQm28M4lcxQmyggUKvXaOf2r8GX9NA3As42Mk";
    public static final String SERVICE_KEY = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InBjb2RoeWhpc3RjaXhhZmlhc3RwIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoyMDE1NTc2MDAwfQ.RMp4jy3ufiHOL15bjvR2OaRWRhiZ6wlK38nhYgrRqVY";
}
