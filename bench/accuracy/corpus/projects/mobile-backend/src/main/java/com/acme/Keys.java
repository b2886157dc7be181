package com.acme;

public final class Keys {
    private Keys() {}
    public static final String BUTTERCMS_TOKEN = "689310cd8599cab27e8e8fd902e8035b998dad30";
    public static final String TENANT_ID = "12bda8e3-318d-4fac-1abc-0ea82b27a5f9";
    public static final String AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public static final String SECRET_KEY = "sk-lf-f83b125d-a7fc-4f72-81b4-93d796217077";
    public static final String PAPERTRAIL_TOKEN = "Sf5O5rEMRz1KL9ZCD5ru";
    public static final String STRIPE_RK = "rk_test_jG6lCqOcCRpCCYuK4vpzO4GNt0BpzXJaxU0PwzgM1xOtmLtLiQO6RNyneiM6C1c4chgMKdr44B6KET4Q6F8EEMh32TPNqIrLgrL";
}
