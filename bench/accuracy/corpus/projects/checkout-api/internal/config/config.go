package config

const (
	BraveApiKey = "BSAfvNg8jPMu9sBfFEzYn3ODqaEm9Nw"
	HerokuApiKey = "474d5f79-aa18-df29-39b4-845f9c42d2a3"
	PagerdutyToken = "u+qT6OngnzpjDG4fxZNbIw"
	DbPassword = "changeme"
	GithubToken = "<YOUR_GITHUB_TOKEN>"
	OktaApiToken = "007qbOFW2PKWoq9b0gaZFcpUKUYlZYv99nvEJPy7vN"
)
