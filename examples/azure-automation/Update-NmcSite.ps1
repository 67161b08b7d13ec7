<#
.SYNOPSIS
    Azure Automation runbook for a Hybrid Runbook Worker: updates the NMC firmware of one site's share of the fleet.

.DESCRIPTION
    Runs on a Hybrid Runbook Worker that has the SecureNmc module in its module path (for example
    C:\Program Files\WindowsPowerShell\Modules\SecureNmc) and a SecureNmc data folder holding the
    site's inventory, licences and firmware (handed over with Export-NmcBundle / Import-NmcBundle).

    Automation assets it reads:
      - credential asset (-CredentialName, default 'SecureNmc-Card'): the cards' administrator
        account, stored on the share's devices before the update, so a rotated password in the asset
        is what the cards are logged in with;
      - variable 'SecureNmc-DataFolder' (optional): the worker's SecureNmc data folder (SECURENMC_HOME);
      - variable 'SecureNmc-Site' (optional): the site, when -Site is not given.

    Output for the job stream: one record per card (DeviceName, Host, Site, Status, From, Reached,
    Attempts, Error, IsSuccess), no progress, and never a prompt (-Force). When any card did not end
    well, the runbook throws after writing all records, so the job is marked Failed.

.PARAMETER Site
    The site to update (wildcards allowed), as Get-NmcDevice -Site.

.PARAMETER Partition
    This worker's share "k/N" when several workers split one site, as Get-NmcDevice -Partition.

.PARAMETER CredentialName
    The name of the Automation credential asset with the cards' account.
#>
param(
    [string] $Site,
    [string] $Partition,
    [string] $CredentialName = 'SecureNmc-Card'
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

# Optional variable assets: absent ones leave the defaults.
function Get-OptionalAutomationVariable([string] $Name) {
    try { Get-AutomationVariable -Name $Name } catch { $null }
}

$dataFolder = Get-OptionalAutomationVariable 'SecureNmc-DataFolder'
if ($dataFolder) { $env:SECURENMC_HOME = $dataFolder }
if (-not $Site) { $Site = Get-OptionalAutomationVariable 'SecureNmc-Site' }
if (-not $Site) { throw "No site given: pass -Site or create the Automation variable 'SecureNmc-Site'." }

Import-Module SecureNmc -ErrorAction Stop
$credential = Get-AutomationPSCredential -Name $CredentialName
if (-not $credential) { throw "The Automation credential asset '$CredentialName' was not found or is empty." }

$selection = @{ Site = $Site }
if ($Partition) { $selection.Partition = $Partition }
$devices = @(Get-NmcDevice @selection)
if ($devices.Count -eq 0) {
    Write-Warning "No card of site '$Site'$(if ($Partition) { " share $Partition" }) is in the inventory ($env:SECURENMC_HOME); nothing to update."
    return
}
$devices | Set-NmcDevice -Credential $credential -Confirm:$false

$results = @($devices | Invoke-NmcFirmwareUpdate -Force -ErrorAction SilentlyContinue -ErrorVariable cardErrors)
foreach ($result in $results) {
    [pscustomobject]@{
        DeviceName = $result.DeviceName
        Host       = $result.Host
        Site       = ($devices | Where-Object Id -eq $result.DeviceId).Site
        Status     = $result.StatusText
        From       = $result.From
        Reached    = $result.Reached
        Attempts   = $result.Attempts
        Error      = $result.Error
        IsSuccess  = $result.IsSuccess
    }
}
$failed = @($results | Where-Object { -not $_.IsSuccess })
if ($failed.Count -gt 0 -or $results.Count -lt $devices.Count) {
    throw "$($failed.Count + $devices.Count - $results.Count) of $($devices.Count) card(s) of site '$Site' did not end well: $(($failed | ForEach-Object { "$($_.DeviceName) ($($_.StatusText))" }) -join ', ')."
}
