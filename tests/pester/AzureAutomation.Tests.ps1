#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# examples/azure-automation/Update-NmcSite.ps1 as a Hybrid Runbook Worker runs it, in a child
# pwsh -NonInteractive with the stand-ins for Get-AutomationPSCredential / Get-AutomationVariable:
# the module comes from the module path, the card credential from the credential asset, the data
# folder from a variable asset; records go to the output stream and a failed card fails the job.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:dataHome = Enter-TestHome 'securenmc-pester-automation'
    Import-Module (Get-TestModuleManifest) -Force -ErrorAction Stop
    $onWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    $script:pwsh = Join-Path $PSHOME $(if ($onWindows) { 'pwsh.exe' } else { 'pwsh' })
    if (-not (Test-Path -LiteralPath $script:pwsh)) { $script:pwsh = (Get-Process -Id $PID).Path }
    $examples = Join-Path (Get-RepositoryRoot) (Join-Path 'examples' 'azure-automation')
    $script:runbook = Join-Path $examples 'Update-NmcSite.ps1'
    $script:standIns = Join-Path $examples 'AutomationStandIns.ps1'
    $script:moduleRoot = Split-Path -Parent (Split-Path -Parent ([System.IO.Path]::GetFullPath((Get-TestModuleManifest))))

    $script:rehearsal = New-RehearsalFleet -Count 3
    Set-NmcSetting -MaxFirmwareUpdateAttempts 1 -Confirm:$false
    $devices = @(Get-NmcDevice | Sort-Object Name)
    $devices[0..1] | Set-NmcDevice -Site North -Confirm:$false
    $devices[2] | Set-NmcDevice -Site South -Confirm:$false
    # The worker's inventory has no card password: it comes from the credential asset.
    Get-NmcDevice | Set-NmcDevice -ClearCredential -Confirm:$false
    $script:cardCredential = $script:rehearsal.Simulator[0].Credential

    # Runs the runbook in a new non-interactive process; the assets are set through the stand-ins.
    function Invoke-Runbook([string] $Arguments, [switch] $WithoutCredential) {
        $q = { param($s) "'" + ($s -replace "'", "''") + "'" }
        $clixml = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.clixml')
        $assets = "`$AutomationAssets.Variables['SecureNmc-DataFolder'] = $(& $q $script:dataHome); "
        if (-not $WithoutCredential) {
            $assets += "`$AutomationAssets.Credentials['SecureNmc-Card'] = [pscredential]::new($(& $q $script:cardCredential.UserName), (ConvertTo-SecureString $(& $q $script:cardCredential.GetNetworkCredential().Password) -AsPlainText -Force)); "
        }
        $command = "`$env:PSModulePath = $(& $q $script:moduleRoot) + [IO.Path]::PathSeparator + `$env:PSModulePath; . $(& $q $script:standIns); $assets" +
            "`$records = [System.Collections.Generic.List[object]]::new(); " +
            "try { & $(& $q $script:runbook) $Arguments | ForEach-Object { `$records.Add(`$_) } } finally { Export-Clixml -InputObject `$records.ToArray() -LiteralPath $(& $q $clixml) }"
        $stderr = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.err')
        $previous = $env:SECURENMC_HOME
        $env:SECURENMC_HOME = $null   # the runbook must take the data folder from the variable asset
        try {
            $process = Start-Process -FilePath $script:pwsh -ArgumentList @('-NoProfile', '-NonInteractive', '-Command', $command) -RedirectStandardError $stderr -RedirectStandardOutput (Join-Path $TestDrive 'out.txt') -NoNewWindow -PassThru -Wait
        }
        finally { $env:SECURENMC_HOME = $previous }
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Records  = @(if (Test-Path -LiteralPath $clixml) { Import-Clixml -LiteralPath $clixml | ForEach-Object { $_ } })
            StdErr   = (Get-Content -LiteralPath $stderr -Raw) + ''
        }
    }
}

AfterAll { Exit-TestHome $script:dataHome }

Describe 'The Azure Automation runbook' {
    It 'updates the site''s cards with the credential asset and writes one record per card' {
        $run = Invoke-Runbook "-Site North"
        $run.StdErr | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
        $run.Records.Count | Should -Be 2
        $run.Records | ForEach-Object { $_.IsSuccess | Should -BeTrue; $_.Site | Should -Be 'North'; $_.Status | Should -Be 'Update Complete' }
        Get-NmcDevice -Site North | ForEach-Object { $_.ApplicationVersion | Should -Be '2.9.0.1'; $_.HasStoredCredential | Should -BeTrue -Because 'the credential asset was stored on the share' }
        Get-NmcDevice -Site South | ForEach-Object { $_.ApplicationVersion | Should -Be '2.5.0.6' -Because 'another site is not touched' }
    }

    It 'fails the job when a card fails, after writing its record' {
        $southCard = $script:rehearsal.Simulator[2]
        $southCard.Card.Faults.RefuseConnections = $true
        try { $run = Invoke-Runbook "-Site South" }
        finally { $southCard.Card.Faults.RefuseConnections = $false }
        $run.ExitCode | Should -Not -Be 0
        $run.StdErr | Should -Match "did not end well: $([regex]::Escape($southCard.Name))"
        $run.Records.Count | Should -Be 1
        $run.Records[0].IsSuccess | Should -BeFalse
    }

    It 'says which asset is missing' {
        $run = Invoke-Runbook "-Site North" -WithoutCredential
        $run.ExitCode | Should -Not -Be 0
        $run.StdErr | Should -Match "SecureNmc-Card"
    }
}
