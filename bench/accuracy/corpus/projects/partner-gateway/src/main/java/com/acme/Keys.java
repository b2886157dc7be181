package com.acme;

public final class Keys {
    private Keys() {}
    public static final String BUILDKITE_AGENT_TOKEN = "bkat_ZXKclhh5R6c6KhMuDzZcnnOzwzdBip3uWVhy6PbM";
    public static final String DB_PASSWORD_SECRET_NAME = "prod/orders/db-password";
    public static final String VAULT_PATH = "secret/data/prod/payments";
    public static final String GRAFANA_CLOUD_TOKEN = "glc_xDyC3SL+labbXQfbfcfw33USzheJve1gp0eE+g4aYITyAQa3caY7cG0+Jab7OmQQQI0YfivVmna/hP6fTTKb85VkzcxT/FSktua7EJcnhL1bi7livRIBUMfN==";
    public static final String TOKEN = "api_sandbox.2QYBGNUiVFs.TnFEBQWdlEOZniQgp-Gso8kpZWFYlmZC";
    public static final String X_SF_TOKEN = "Fi4V-TN6nPkpGcVFCET6Zm";
}
