# Shared set-up for the Pester files that need a whole rehearsal: a throwaway data folder, the built
# module, a simulated fleet in the inventory with subscriptions and newer firmware imported.
# Dot-source it inside BeforeAll:  . (Join-Path $PSScriptRoot 'TestSupport.ps1')

function Get-TestModuleManifest {
    Join-Path $PSScriptRoot (Join-Path '..' (Join-Path '..' (Join-Path 'out' (Join-Path 'SecureNmc' 'SecureNmc.psd1'))))
}

function Get-RepositoryRoot {
    [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot (Join-Path '..' '..')))
}

# A new, empty SECURENMC_HOME; the previous value is kept for Exit-TestHome.
function Enter-TestHome([string] $Prefix = 'securenmc-pester') {
    $script:previousTestHome = $env:SECURENMC_HOME
    $path = Join-Path ([System.IO.Path]::GetTempPath()) ($Prefix + '-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $path | Out-Null
    $env:SECURENMC_HOME = $path
    $path
}

function Exit-TestHome([string] $Path) {
    Stop-NmcSimulator -Confirm:$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
    Stop-NmcLicensingSimulator -Confirm:$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
    Remove-Module SecureNmc -Force -ErrorAction SilentlyContinue
    $env:SECURENMC_HOME = $script:previousTestHome
    if ($Path) { Remove-Item -LiteralPath $Path -Recurse -Force -ErrorAction SilentlyContinue }
}

# A simulated fleet in the inventory, each card with its included subscription activated and a newer
# package of its application type imported: every card is "Ready for Update".
function New-RehearsalFleet([int] $Count = 3, [double] $TimeScale = 0.01) {
    $simulator = Start-NmcSimulator -Count $Count -TimeScale $TimeScale -Confirm:$false
    $simulator | Add-NmcDevice -Confirm:$false -WarningAction SilentlyContinue | Out-Null
    $licensing = Get-NmcDevice | Start-NmcLicensingSimulator -PurchaseDate (Get-Date).AddDays(-30) -Confirm:$false
    Connect-NmcAccount -Credential $licensing.Credential -Confirm:$false | Out-Null
    Get-NmcDevice | Enable-NmcSubscription -Confirm:$false | Out-Null
    $downloads = Join-Path $env:SECURENMC_HOME 'downloads'
    New-Item -ItemType Directory -Force -Path $downloads | Out-Null
    foreach ($type in Get-NmcDevice | ForEach-Object ApplicationType | Sort-Object -Unique) {
        [SecureNmc.Simulator.Firmware.SimulatorFirmwarePackage]::Create($downloads, $type, '2.9.0.2', '2.9.0.1') | Out-Null
    }
    Get-ChildItem -LiteralPath $downloads -Filter *.nmc3 | ForEach-Object { Import-NmcFirmware -Path $_.FullName -Confirm:$false } | Out-Null
    [pscustomobject]@{ Simulator = $simulator; Licensing = $licensing; Downloads = $downloads }
}

# Every file and folder under $Path with its SHA-256: two equal snapshots mean nothing was written.
function Get-FolderSnapshot([string] $Path) {
    if (-not (Test-Path -LiteralPath $Path)) { return @() }
    $root = (Resolve-Path -LiteralPath $Path).ProviderPath
    Get-ChildItem -LiteralPath $root -Recurse -Force | Sort-Object FullName | ForEach-Object {
        $relative = $_.FullName.Substring($root.Length)
        if ($_.PSIsContainer) { "$relative/" }
        else { "$relative $((Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash)" }
    }
}
