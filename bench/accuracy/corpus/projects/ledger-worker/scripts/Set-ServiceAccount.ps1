param([string]$User = "svc_deploy")
$secure = ConvertTo-SecureString "Cmber1556%canyon" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential($User, $secure)
$prompted = Read-Host -AsSecureString "Password"
