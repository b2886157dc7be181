package com.acme;

public final class Keys {
    private Keys() {}
    public static final String CARTESIA_API_KEY = "sk_car_FBgeB4WB81JBt9QdZosFb320";
    public static final String OPENAI_API_KEY = "sk-...";
    public static final String SLACK_BOT_TOKEN = "xoxb-your-bot-token";
    public static final String HONEYBADGER_API_KEY = "hbp_5qyK9BjA7Be9uLCjiwPSxKqu2OPWDe";
    public static final String OCTOPUS_API_KEY = "API-X41D6JPLRJJ4JAKK3NGWDISERA01";
    public static final String SCALR_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJqdGkiOiJhdC1uODM5aTQ0dnYwZGpobWtzdyIsImlzcyI6InNjYWxyIiwic3ViIjoidXNlci13eHMwOXJyMTZ0bW5raDloZiJ9.AugtmQNBmeQlr2FhkfVAqONvTUsGFBOL72d9NJJ1w6H";
}
