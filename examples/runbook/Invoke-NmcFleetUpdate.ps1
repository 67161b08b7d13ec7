<#
.SYNOPSIS
    Updates the firmware of a site's (or a share's) cards unattended; the exit code says whether every card ended well.

.DESCRIPTION
    The wrapper runbooks, scheduled tasks and Ansible tasks call as
        pwsh -NoProfile -NonInteractive -File Invoke-NmcFleetUpdate.ps1 -Site Berlin -Partition 2/3 -AsJson
    It selects the cards with Get-NmcDevice (-Site, -Partition, -Name), runs Invoke-NmcFirmwareUpdate
    -Force on them (a non-interactive host cannot answer the confirmation prompt) with progress off,
    and writes one result per card: the CardUpdateResult objects, or with -AsJson one JSON array of
    plain records (DeviceId, DeviceName, Host, Site, Status, Outcome, From, To, Reached, Attempts,
    Error, IsSuccess). -ResultPath also saves that JSON to a file.

    Exit code: 0 when every selected card ended well (updated, or already at or above the target
    version), 1 when any card did not, 2 when the update could not run at all (the module could not
    be loaded, the inventory could not be read, another run holds the data folder...). An empty
    selection (a small site's empty share) is not a failure: nothing is written and the exit code is 0.

.EXAMPLE
    pwsh -NonInteractive -File ./Invoke-NmcFleetUpdate.ps1 -Site 'Berlin-*' -AsJson > berlin.json; $LASTEXITCODE
#>
[CmdletBinding()]
param(
    # Site patterns (wildcards) of the cards to update, as Get-NmcDevice -Site.
    [string[]] $Site,
    # This worker's share of the selected cards, "k/N", as Get-NmcDevice -Partition.
    [string] $Partition,
    # Names or hosts (wildcards) of the cards to update, as Get-NmcDevice -Name.
    [string[]] $Name,
    # The SecureNmc manifest to import when the module is not on $env:PSModulePath.
    [string] $ModulePath,
    # Cards updated at the same time (default: the ConcurrentUpdates setting).
    [int] $ThrottleLimit,
    # One JSON array on stdout instead of objects.
    [switch] $AsJson,
    # Also save the JSON results here (a per-card report; the controller's inventory learns the results from the worker's Export-NmcBundle -Include Devices).
    [string] $ResultPath
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

# pwsh -File writes warnings to stdout; with -AsJson stdout must be the JSON alone, so they go to stderr.
function Write-Note([string] $Message) {
    if ($AsJson) { [Console]::Error.WriteLine("WARNING: $Message") } else { Write-Warning $Message }
}

function ConvertTo-ResultRecord($result, $sites) {
    [pscustomobject]@{
        DeviceId   = $result.DeviceId.ToString()
        DeviceName = $result.DeviceName
        Host       = $result.Host
        Site       = $sites[$result.DeviceId]
        Status     = $result.StatusText
        Outcome    = $result.Outcome.ToString()
        From       = $result.From
        To         = $result.To
        Reached    = $result.Reached
        Attempts   = $result.Attempts
        Error      = $result.Error
        IsSuccess  = $result.IsSuccess
    }
}

try {
    if ($ModulePath) { Import-Module $ModulePath -ErrorAction Stop }
    elseif (-not (Get-Module SecureNmc)) { Import-Module SecureNmc -ErrorAction Stop }

    $selection = @{}
    if ($Site) { $selection.Site = $Site }
    if ($Partition) { $selection.Partition = $Partition }
    if ($Name) { $selection.Name = $Name }
    $devices = @(Get-NmcDevice @selection)
    if ($devices.Count -eq 0) {
        Write-Note 'No card in the inventory matches the selection; nothing to update.'
        if ($AsJson) { '[]' }
        if ($ResultPath) { Set-Content -LiteralPath $ResultPath -Value '[]' -Encoding UTF8 }
        exit 0
    }
    $sites = @{}
    foreach ($device in $devices) { $sites[$device.Id] = $device.Site }

    $update = @{ Force = $true }
    if ($ThrottleLimit -gt 0) { $update.ThrottleLimit = $ThrottleLimit }
    # A failed card is a result (and a non-terminating error), not the end of the run.
    $results = @($devices | Invoke-NmcFirmwareUpdate @update -ErrorAction SilentlyContinue -ErrorVariable cardErrors -WarningAction SilentlyContinue -WarningVariable updateWarnings)
}
catch {
    [Console]::Error.WriteLine("Invoke-NmcFleetUpdate: the update could not run: $($_.Exception.Message)")
    exit 2
}

foreach ($warning in $updateWarnings) { Write-Note $warning.Message }
foreach ($cardError in $cardErrors) { Write-Error -ErrorRecord $cardError -ErrorAction Continue }
$records = @($results | ForEach-Object { ConvertTo-ResultRecord $_ $sites })
if ($AsJson -or $ResultPath) {
    $json = ConvertTo-Json -InputObject $records -Depth 3
    if ($ResultPath) { Set-Content -LiteralPath $ResultPath -Value $json -Encoding UTF8 }
    if ($AsJson) { $json }
}
if (-not $AsJson) { $results }

# Every selected card must have a result, and every result must be a success.
$failed = @($results | Where-Object { -not $_.IsSuccess }).Count + ($devices.Count - $results.Count)
if ($failed -gt 0) { exit 1 }
exit 0
