package com.acme;

public final class Keys {
    private Keys() {}
    public static final String BRANCH_SECRET = "secret_live_LLtkw9FSKZsACojwltCZViiYsO0PvQVl";
    public static final String BUILD_SHA = "44816d6be52724fb362b55ca2280fb469b05c0ed";
    public static final String REQUEST_ID = "af07b6cd-8ef7-48fc-4eb3-9aaae832db58";
    public static final String GITHUB_TOKEN = "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";
    public static final String HONEYCOMB_API_KEY = "X2SWi8VfuezUJ7ad6U9hed";
    public static final String REDIRECT_PIZZA_TOKEN = "DBffekYvqZI0EUA2qTVwNAweAPcC_aty8FiVkh4S";
    public static final String WG_PRIVATE_KEY = "Yn03B4O4erNqI1elUZoaNhNPlNwUR7F40kdGAW59YK0=";
}
