param([string]$User = "svc_deploy")
$secure = ConvertTo-SecureString "juniper-Lantern87" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential($User, $secure)
$prompted = Read-Host -AsSecureString "Password"
