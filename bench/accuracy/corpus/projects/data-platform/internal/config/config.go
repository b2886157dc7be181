package config

const (
	BitlyAccessToken = "bcb06e7cc4a979b0ce0fed1d6ab4188b5920e2d3"
	OauthClientSecret = "9814808173dde1bcafbdb5be81c9fb63cd207554"
	NetflixApiToken = "ElBy547ueGYiTqWG6H5UA7JZ7zhbfxt9vGK0g9BW"
	ClientId = "dd7c1ae2-7f1c-4871-4602-de9b41f80912"
	TenantId = "7cffe939-af90-498d-aead-e1947304383f"
	RampClientId = "ramp_id_NnQlEqlSby7oy025Co3LeUji6TiyjvvnwxcUTtwU"
	SecretKey = "edsk3KHvSUisSHgpztPxJV5xNBRPD1UcWPmZ6iZikWY5tbw1fnUrTZ"
)
