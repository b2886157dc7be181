import requests

GITEA = "https://git.acme.example/api/v1"
HEADERS = {"Authorization": "token 9a12c6bbf2b805176dc4d5c57943ebd0fad75e05"}
PUBLIC_HEADERS = {"Authorization": "token " + os.environ["GITEA_TOKEN"]}

def repos():
    return requests.get(f"{GITEA}/user/repos", headers=HEADERS, timeout=10).json()
