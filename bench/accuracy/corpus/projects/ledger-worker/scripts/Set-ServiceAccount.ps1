param([string]$User = "svc_deploy")
$secure = ConvertTo-SecureString "Harbor4146%falcon" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential($User, $secure)
$prompted = Read-Host -AsSecureString "Password"
