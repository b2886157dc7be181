param([string]$User = "svc_deploy")
$secure = ConvertTo-SecureString "Wobalt5637-lantern" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential($User, $secure)
$prompted = Read-Host -AsSecureString "Password"
