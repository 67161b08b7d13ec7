<#
.SYNOPSIS
    One site's worker in the Ansible rehearsal: a simulated fleet for the site, then the runbook wrapper.

.DESCRIPTION
    Stands in for a real site worker, whose inventory, licences and firmware came in a bundle from
    the controller: it starts -CardCount simulated cards (and a licensing simulator) in this process,
    adds them to the data folder in SECURENMC_HOME with the site -Site, activates their
    subscriptions and imports a newer simulated firmware. -FaultCard n makes card n refuse
    connections, to rehearse a failing wave. Then it runs examples/runbook/Invoke-NmcFleetUpdate.ps1
    for the site, adds to each record what the card's simulator itself now runs
    (SimulatorApplicationVersion), and exits with the wrapper's exit code.
    With -CardCount 0 it only runs the wrapper on the existing inventory (a real worker).
#>
param(
    [Parameter(Mandatory)] [string] $Site,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string] $ModulePath,
    [int] $CardCount = 0,
    [int] $FaultCard = 0
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
if ($ModulePath) { Import-Module $ModulePath } else { Import-Module SecureNmc }
$wrapper = Join-Path $PSScriptRoot (Join-Path '..' (Join-Path 'runbook' 'Invoke-NmcFleetUpdate.ps1'))

$cards = @()
if ($CardCount -gt 0) {
    Set-NmcSetting -MaxFirmwareUpdateAttempts 1 -Confirm:$false   # a rehearsal: fail fast
    $cards = @(Start-NmcSimulator -Count $CardCount -TimeScale 0.01 -Confirm:$false)
    $cards | Add-NmcDevice -Site $Site -Confirm:$false -WarningAction SilentlyContinue | Out-Null
    $licensing = Get-NmcDevice | Start-NmcLicensingSimulator -PurchaseDate (Get-Date).AddDays(-30) -Confirm:$false
    Connect-NmcAccount -Credential $licensing.Credential -Confirm:$false | Out-Null
    Get-NmcDevice | Enable-NmcSubscription -Confirm:$false | Out-Null
    $downloads = New-Item -ItemType Directory -Force -Path (Join-Path $env:SECURENMC_HOME 'downloads')
    $types = @(Get-NmcDevice | ForEach-Object { "$($_.ApplicationType)" } | Sort-Object -Unique)
    New-NmcSimulatorFirmware -Path $downloads.FullName -ApplicationType $types -Version 2.9.0.1 -Force -Confirm:$false |
        ForEach-Object { Import-NmcFirmware -Path $_.FullName -Confirm:$false } | Out-Null
    if ($FaultCard -gt 0) { $cards[$FaultCard - 1].Card.Faults.RefuseConnections = $true }
}

& $wrapper -Site $Site -ResultPath $ResultPath 3>$null | Out-Null
$code = $LASTEXITCODE

if ($cards.Count -gt 0 -and (Test-Path -LiteralPath $ResultPath)) {
    # What each card's simulator runs now, next to what SecureNmc recorded: the report can be checked against the cards.
    $records = @(Get-Content -LiteralPath $ResultPath -Raw | ConvertFrom-Json | ForEach-Object { $_ })
    foreach ($record in $records) {
        $card = $cards | Where-Object Name -eq $record.DeviceName
        $record | Add-Member -NotePropertyName SimulatorApplicationVersion -NotePropertyValue $card.Card.Profile.ApplicationVersion
    }
    Set-Content -LiteralPath $ResultPath -Value (ConvertTo-Json -InputObject $records -Depth 3) -Encoding UTF8
    Stop-NmcSimulator -Confirm:$false | Out-Null
    Stop-NmcLicensingSimulator -Confirm:$false | Out-Null
}
exit $code
