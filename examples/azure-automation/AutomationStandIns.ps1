# Stand-ins for the Azure Automation asset cmdlets, for running Update-NmcSite.ps1 outside Azure
# (CI, a rehearsal on a workstation). Dot-source this, then fill the assets:
#   . ./AutomationStandIns.ps1
#   $AutomationAssets.Credentials['SecureNmc-Card'] = Get-Credential
#   $AutomationAssets.Variables['SecureNmc-Site'] = 'Berlin'
# Like the real cmdlets, a missing asset is an error.

$global:AutomationAssets = @{ Credentials = @{}; Variables = @{} }

function Get-AutomationPSCredential {
    param([Parameter(Mandatory)] [string] $Name)
    if (-not $global:AutomationAssets.Credentials.ContainsKey($Name)) { throw "Credential asset '$Name' was not found." }
    $global:AutomationAssets.Credentials[$Name]
}

function Get-AutomationVariable {
    param([Parameter(Mandatory)] [string] $Name)
    if (-not $global:AutomationAssets.Variables.ContainsKey($Name)) { throw "Variable asset '$Name' was not found." }
    $global:AutomationAssets.Variables[$Name]
}
