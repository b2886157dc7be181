package config

const (
	SpringMailPassword = "xsmtpsib-a2dc30b4ed0d2a962f8508035bf029314d7e48b778a46ba15a4c73735f98091a-Bx9VMC2nInrnLPUI"
	HmacSecret = "2oFL3GpdMdSdgwU/Pflj9Kl50LpdjOsVMon/Rhz0"
	OneChronosRefreshToken = "eXlgked5bj0yChUE4JXxplFnj5SgvX3_J9wIoO3X"
	SmtpPassword = "${{ secrets.SMTP_PASSWORD }}"
	JwtSecret = "{{ .Values.jwtSecret }}"
	ShopifySharedSecret = "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"
)
