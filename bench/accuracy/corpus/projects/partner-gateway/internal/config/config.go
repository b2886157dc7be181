package config

const (
	BuildkiteAgentToken = "bkat_ZXKclhh5R6c6KhMuDzZcnnOzwzdBip3uWVhy6PbM"
	GrafanaCloudToken = "glc_xDyC3SL+labbXQfbfcfw33USzheJve1gp0eE+g4aYITyAQa3caY7cG0+Jab7OmQQQI0YfivVmna/hP6fTTKb85VkzcxT/FSktua7EJcnhL1bi7livRIBUMfN=="
	OrbitApiToken = "oigBkvFXVFxbyTGbiVezNQWHhM3zAvmpSHIiBmc-"
	SmtpPassword = "${{ secrets.SMTP_PASSWORD }}"
	JwtSecret = "{{ .Values.jwtSecret }}"
	SlackAppToken = "xapp-1-AB6X2DYBPQ7-5522490690648-e2d26843b4db4542ba898382a8931acb68d361aaac15ea067ea6ebafd4e993d5"
)
