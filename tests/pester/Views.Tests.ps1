#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Issues 11 and 16 end to end through Import-Module: one object of every type a SecureNmc cmdlet
# writes, made by the real cmdlets against the simulators, shown with its default view at 120
# columns. Every key column fits (header whole, value whole, one line per object); every column
# label is a property that Select-Object, Sort-Object and Export-Csv take; Status reads, filters,
# groups, sorts and exports in the SNS wording on results, devices and history alike.
# Run: ./build.ps1 -Task Pester   (or: Invoke-Pester tests/pester/Views.Tests.ps1)

BeforeAll {
    $script:previousHome = $env:SECURENMC_HOME
    $script:dataHome = Join-Path ([System.IO.Path]::GetTempPath()) ('securenmc-pester-views-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:dataHome | Out-Null
    $env:SECURENMC_HOME = $script:dataHome
    $ProgressPreference = 'SilentlyContinue'

    $manifest = Join-Path $PSScriptRoot (Join-Path '..' (Join-Path '..' (Join-Path 'out' (Join-Path 'SecureNmc' 'SecureNmc.psd1'))))
    Import-Module $manifest -Force -ErrorAction Stop
    $script:formatFile = [xml](Get-Content -Raw -Path (Join-Path (Split-Path $manifest) 'SecureNmc.format.ps1xml'))

    # Everything a cmdlet wrote, by the type its default view is selected by.
    $script:samples = @{}
    function Add-Sample([object[]] $objects) {
        foreach ($o in $objects) {
            $type = $o.PSObject.TypeNames[0]
            if (-not $script:samples.ContainsKey($type)) { $script:samples[$type] = [System.Collections.Generic.List[object]]::new() }
            $script:samples[$type].Add($o)
        }
    }

    # Four simulated SU/SY cards, 100 times faster than real time; card 2 corrupts every upload, so
    # its update ends in Update Error while the others reach Update Complete.
    $cards = Start-NmcSimulator -Count 4 -ApplicationType SU, SY -TimeScale 0.01 -RestartSeconds 30 -Fault @{ 2 = 'CorruptReceivedFile' }
    Add-Sample $cards
    $script:faultyName = $cards[1].Name
    Add-Sample ($cards | Add-NmcDevice -PassThru -WarningAction SilentlyContinue)
    Add-Sample (Set-NmcSetting -MaxFirmwareUpdateAttempts 1 -PassThru -Confirm:$false)

    $downloads = Join-Path $script:dataHome 'downloads'
    New-Item -ItemType Directory -Path $downloads | Out-Null
    foreach ($type in ($cards | ForEach-Object { $_.ApplicationType } | Sort-Object -Unique)) {
        [SecureNmc.Simulator.Firmware.SimulatorFirmwarePackage]::Create($downloads, $type, '2.9.0.2', '2.9.0.1', '2.1.0.1', 'hw21', 16384) | Out-Null
    }
    Add-Sample (Get-ChildItem -Path $downloads -Filter *.nmc3 | Import-NmcFirmware)

    # Cards bought 30 days ago carry the included subscription; card 4 is also activated offline.
    $script:licensing = Get-NmcDevice | Start-NmcLicensingSimulator -PurchaseDate ((Get-Date).AddDays(-30)) -Confirm:$false
    Add-Sample $script:licensing
    Add-Sample (Connect-NmcAccount -Credential $script:licensing.Credential -Confirm:$false)
    Add-Sample (Get-NmcDevice | Enable-NmcSubscription -Confirm:$false)
    $request = Join-Path $script:dataHome 'request.json'
    $response = Join-Path $script:dataHome 'response.json'
    Add-Sample (Export-NmcActivationRequest -Device $cards[3].Name -ActivationId 'AID-SU-3Y' -Path $request -Confirm:$false)
    Add-Sample (Submit-NmcActivationRequest -Path $request -ResponsePath $response -Confirm:$false)
    Add-Sample (Import-NmcActivationResponse -Path $response -Confirm:$false)
    Add-Sample (Get-NmcSubscription)

    Add-Sample (Get-NmcDevice | Save-NmcFirmware -Path (Join-Path $script:dataHome 'staging'))
    $script:results = @(Get-NmcDevice | Invoke-NmcFirmwareUpdate -Confirm:$false -ErrorAction SilentlyContinue)
    Add-Sample $script:results
    $script:history = @(Get-NmcFirmwareUpdate)
    Add-Sample $script:history
    $script:devices = @(Get-NmcDevice)
    Add-Sample $script:devices
    # -Status as a person types it, before the cancelled run below changes the statuses.
    $script:byStatus = @{
        Error    = @(Get-NmcDevice -Status 'Update Error')
        Complete = @(Get-NmcDevice -Status 'Update Complete')
        Piped    = @(Get-NmcDevice -Status ($script:devices | Where-Object Status -eq 'Update Error').Status)
    }
    Add-Sample (Get-NmcSetting)

    # A run in the background, one card at a time, cancelled while its cards wait their turn.
    $script:job = Get-NmcDevice | Invoke-NmcFirmwareUpdate -AsJob -Force -Reinstall -ThrottleLimit 1
    Add-Sample $script:job
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    do {
        $cancelled = @(Stop-NmcFirmwareUpdate -Job $script:job -Confirm:$false -WarningAction SilentlyContinue)
        if ($cancelled.Count -eq 0) { Start-Sleep -Milliseconds 50 }
    } while ($cancelled.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline)
    Add-Sample $cancelled
    $script:job | Wait-Job -Timeout 60 | Out-Null
    $script:job | Receive-Job -ErrorAction SilentlyContinue | Out-Null

    $bundlePassword = ConvertTo-SecureString 'Views bundle pass 7' -AsPlainText -Force
    $bundle = Join-Path $script:dataHome 'fleet.snmc'
    Add-Sample (Export-NmcBundle -Path $bundle -Password $bundlePassword)
    Add-Sample (Export-NmcReport -Path (Join-Path $script:dataHome 'fleet.html') -Confirm:$false)
    Add-Sample (Import-NmcBundle -Path $bundle -Password $bundlePassword -Confirm:$false -WarningAction SilentlyContinue)
    Add-Sample (Clear-NmcFirmwareCache -Force -PassThru)
    Add-Sample (Disconnect-NmcAccount -PassThru -Confirm:$false)
    Add-Sample (Stop-NmcLicensingSimulator -PassThru -Confirm:$false)
    Add-Sample (Stop-NmcSimulator -PassThru)

    # The default view of a type: its first view in the format file, with labels and widths.
    function Get-DefaultView([string] $typeName) {
        $view = @($script:formatFile.Configuration.ViewDefinitions.View | Where-Object { $_.ViewSelectedBy.TypeName -eq $typeName })[0]
        if ($null -eq $view) { return $null }
        if ($view.TableControl) {
            $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
            [pscustomobject]@{
                Kind   = 'Table'
                Labels = @($headers | ForEach-Object { $_.Label })
                Widths = @($headers | ForEach-Object { if ($_.Width) { [int]$_.Width } else { 0 } })
            }
        }
        else {
            [pscustomobject]@{
                Kind   = 'List'
                Labels = @($view.ListControl.ListEntries.ListEntry.ListItems.ListItem | ForEach-Object { if ($_.Label) { $_.Label } else { $_.PropertyName } })
                Widths = @()
            }
        }
    }

    # Columns that may be cut at their width besides the last one, because a value can outgrow any
    # width that leaves room for the rest (Format-List shows them whole): a setting's value (the
    # 88-character licensing service key, a data folder path) and a licence's one-line description.
    $script:cutColumns = @{
        'SecureNmc.Core.Settings.SettingInfo'         = @('Value')
        'SecureNmc.Core.DataExchange.BundleImportItem' = @('Name')
    }

    # The lines of a table as Out-String -Width 120 renders it: header, dashes, one line per row.
    function Get-TableLines([object[]] $objects) {
        @(($objects | Out-String -Width 120) -split '\r?\n' | Where-Object { $_.Trim().Length -gt 0 })
    }

    # Cell i of a rendered line: columns sit at their format-file widths, one space apart.
    function Get-Cell([string] $line, [int[]] $widths, [int] $index) {
        $start = 0
        for ($i = 0; $i -lt $index; $i++) { $start += $widths[$i] + 1 }
        if ($start -ge $line.Length) { return '' }
        $length = if ($index -lt $widths.Count - 1) { [Math]::Min($widths[$index], $line.Length - $start) } else { $line.Length - $start }
        $line.Substring($start, $length)
    }

    # Every type a cmdlet declares with [OutputType], except System.Uri (Open-NmcWebUI -PassThru).
    $script:outputTypes = @(Get-Command -Module SecureNmc | ForEach-Object { $_.OutputType } | ForEach-Object { $_.Name } |
        Where-Object { $_ -like 'SecureNmc.*' } | Sort-Object -Unique)
}

AfterAll {
    Stop-NmcLicensingSimulator -Confirm:$false -ErrorAction SilentlyContinue
    Stop-NmcSimulator -ErrorAction SilentlyContinue
    Get-Job | Remove-Job -Force -ErrorAction SilentlyContinue
    Remove-Module SecureNmc -Force -ErrorAction SilentlyContinue
    $env:SECURENMC_HOME = $script:previousHome
    Remove-Item -Path $script:dataHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Default views of every output type' {
    It 'made one object of every type the cmdlets declare, each with a default view' {
        $script:outputTypes.Count | Should -BeGreaterThan 15
        foreach ($type in $script:outputTypes) {
            $script:samples.ContainsKey($type) | Should -BeTrue -Because "a cmdlet declares [OutputType($type)] and the test made none"
            Get-DefaultView $type | Should -Not -BeNullOrEmpty -Because "$type needs a view in SecureNmc.format.ps1xml"
        }
    }

    It '<Type>: every key column fits at 120 columns, whole and on one line' -ForEach @(
        # Pester expands -ForEach at discovery, before BeforeAll: name the table types here.
        'SecureNmc.Core.Devices.NmcDevice', 'SecureNmc.Core.Firmware.FirmwarePackage', 'SecureNmc.Core.Firmware.CacheClearResult',
        'SecureNmc.Core.Licensing.AccountInfo', 'SecureNmc.Core.Licensing.ActivationOutcome', 'SecureNmc.Core.Licensing.SubscriptionStatus',
        'SecureNmc.Core.Updates.SavedFirmware', 'SecureNmc.Core.Updates.CardUpdateResult', 'SecureNmc.Core.Updates.CardJournalState',
        'SecureNmc.Core.Updates.CardCancellation', 'SecureNmc.Core.Settings.SettingInfo', 'SecureNmc.Core.DataExchange.BundleExportResult',
        'SecureNmc.Core.DataExchange.BundleImportItem', 'SecureNmc.PowerShell.Simulation.NmcSimulatedCard', 'SecureNmc.PowerShell.Simulation.NmcSimulator',
        'SecureNmc.PowerShell.Infrastructure.FirmwareUpdateJob', 'SecureNmc.Core.Reports.ReportExportResult' | ForEach-Object { @{ Type = $_ } }) {
        $view = Get-DefaultView $Type
        $view.Kind | Should -Be 'Table'
        $objects = $script:samples[$Type].ToArray()
        $lines = Get-TableLines $objects
        $lines.Count | Should -Be ($objects.Count + 2) -Because "one header, one dash line and one line per object (no value wraps):`n$($lines -join "`n")"
        for ($i = 0; $i -lt $view.Labels.Count; $i++) {
            (Get-Cell $lines[0] $view.Widths $i).Trim() | Should -BeExactly $view.Labels[$i] -Because "the header of column $i must be whole:`n$($lines[0])"
            if ($i -lt $view.Labels.Count - 1 -and $view.Labels[$i] -notin $script:cutColumns[$Type]) {
                # Key columns (all but the last one and the free-text ones) are never cut with an ellipsis.
                foreach ($row in $lines[2..($lines.Count - 1)]) {
                    # PowerShell 7 cuts with an ellipsis character, Windows PowerShell with three dots.
                    (Get-Cell $row $view.Widths $i).TrimEnd() | Should -Not -Match '(\u2026|\.\.\.)$' -Because "'$($view.Labels[$i])' is cut in:`n$row"
                }
            }
        }
        (($view.Widths | Select-Object -SkipLast 1 | Measure-Object -Sum).Sum + $view.Widths.Count - 1) | Should -BeLessThan 120
    }

    It '<Type>: the list view shows every label' -ForEach @(
        'SecureNmc.Core.Licensing.OfflineRequestSummary', 'SecureNmc.Core.Licensing.OfflineSubmitSummary', 'SecureNmc.PowerShell.LicensingSimulatorInfo' |
            ForEach-Object { @{ Type = $_ } }) {
        $view = Get-DefaultView $Type
        $view.Kind | Should -Be 'List'
        $text = $script:samples[$Type][0] | Out-String -Width 120
        foreach ($label in $view.Labels) { $text | Should -Match ('(?m)^' + [regex]::Escape($label) + '\s*:') }
    }

    It 'every column label of every default view is a property that Select-Object, Sort-Object and Export-Csv take' {
        foreach ($type in $script:outputTypes) {
            $objects = $script:samples[$type].ToArray()
            $csvHeader = ($objects | ConvertTo-Csv -NoTypeInformation)[0] -split ',' | ForEach-Object { $_.Trim('"') }
            foreach ($label in (Get-DefaultView $type).Labels) {
                $objects[0].PSObject.Properties[$label] | Should -Not -BeNullOrEmpty -Because "$type shows a '$label' column"
                ($objects | Select-Object -Property $label)[0].PSObject.Properties.Name | Should -Be $label
                $csvHeader | Should -Contain $label -Because "Export-Csv of $type must hold the '$label' column a person saw"
                if ($objects[0].$label -is [System.Collections.IList]) { continue } # a list column (Devices) has no order
                # Mixed types (a setting's Value: numbers and text) sort by Sort-Object's own fallback: not compared here.
                if (@($objects | ForEach-Object { $_.$label } | Where-Object { $null -ne $_ } | ForEach-Object { $_.GetType() } | Sort-Object -Unique FullName).Count -gt 1) { continue }
                $sorted = @($objects | Sort-Object -Property $label)
                $sorted.Count | Should -Be $objects.Count
                for ($i = 1; $i -lt $sorted.Count; $i++) {
                    [System.Management.Automation.LanguagePrimitives]::Compare($sorted[$i - 1].$label, $sorted[$i].$label, $true) | Should -BeLessOrEqual 0 -Because "Sort-Object $label sorts $type by that column"
                }
            }
        }
    }

    It 'writes versions one way: SU 2.9.0.1, never the file code' {
        foreach ($type in 'SecureNmc.Core.Devices.NmcDevice', 'SecureNmc.Core.Updates.CardUpdateResult', 'SecureNmc.Core.Updates.CardJournalState', 'SecureNmc.Core.Firmware.FirmwarePackage') {
            $text = $script:samples[$type].ToArray() | Out-String -Width 120
            $text | Should -Not -MatchExactly '\b(su|sy) \d' -Because "$type shows versions"
        }
        $script:results | Where-Object Status -eq 'Update Complete' | ForEach-Object { $_.To | Should -MatchExactly '^S[UY] 2\.9\.0\.1$' }
        ($script:devices | Where-Object Target)[0].Target | Should -MatchExactly '^S[UY] 2\.9\.0\.1'
        @(Get-NmcFirmware) | ForEach-Object { "$($_.App)" | Should -MatchExactly '^S[UY]$' }
    }

    It 'shows the default device table with its key columns at 120 columns' {
        $lines = Get-TableLines $script:devices
        $lines[0] | Should -Match '^Name\s+Host\s+Model\s+App\s+AppVersion\s+Target\s+Status$'
        $lines | Where-Object { $_ -like "$($script:faultyName) *" } | Should -Match 'Update Error$'
    }
}

Describe 'Status in the SNS wording' {
    It '<Name>: Where-Object, Group-Object, Sort-Object and Export-Csv use the words the table shows' -ForEach @(
        @{ Name = 'update results'; Source = 'results' }
        @{ Name = 'devices'; Source = 'devices' }
        @{ Name = 'update history'; Source = 'history' }
    ) {
        $objects = (Get-Variable -Scope Script -Name $Source).Value
        $objects.Count | Should -Be 4

        $errors = @($objects | Where-Object Status -eq 'Update Error')
        $errors.Count | Should -Be 1
        $errors[0].DeviceName, $errors[0].Name | Where-Object { $_ } | Select-Object -First 1 | Should -Be $script:faultyName
        @($objects | Where-Object Status -eq 'Update Complete').Count | Should -Be 3
        @($objects | Where-Object Status -like 'Update *').Count | Should -Be 4
        @($objects | Where-Object { $_.Status -in 'Update Error', 'Not Accessible' }).Count | Should -Be 1

        $groups = $objects | Group-Object Status | Sort-Object Name
        @($groups.Name) | Should -Be @('Update Complete', 'Update Error')
        @($groups | ForEach-Object Count) | Should -Be @(3, 1)

        @($objects | Sort-Object Status | ForEach-Object { "$($_.Status)" }) | Should -Be @('Update Complete', 'Update Complete', 'Update Complete', 'Update Error')
        @($objects | Sort-Object Status -Descending)[0].Status | Should -Be 'Update Error'

        $csv = Join-Path $script:dataHome "$Source.csv"
        $objects | Export-Csv -Path $csv -NoTypeInformation
        @(Import-Csv -Path $csv | Group-Object Status | Sort-Object Name | ForEach-Object Name) | Should -Be @('Update Complete', 'Update Error')
    }

    It 'pipes the failed results into Get-NmcDevice (Name and Id of the device)' {
        @($script:results | Where-Object Status -eq 'Update Error' | Get-NmcDevice).Name | Should -Be $script:faultyName
    }

    It 'keeps the enum for code (StatusCode) and still equals the enum name' {
        $failed = $script:results | Where-Object Status -eq 'Update Error'
        $failed.StatusCode | Should -Be ([SecureNmc.Core.Devices.DeviceStatus]::UpdateError)
        $failed.StatusCode | Should -BeOfType [SecureNmc.Core.Devices.DeviceStatus]
        ($failed.Status -eq 'UpdateError') | Should -BeTrue
        ($failed.Status -eq [SecureNmc.Core.Devices.DeviceStatus]::UpdateError) | Should -BeTrue
        [SecureNmc.Core.Devices.DeviceStatusText]::ToText($failed.Status) | Should -Be 'Update Error'
        "$($failed.Status)" | Should -BeExactly 'Update Error'
        ($failed | Format-List Status | Out-String) | Should -Match 'Status\s*:\s*Update Error'
    }

    It 'Get-NmcDevice -Status takes the SNS wording, and completes it' {
        $script:byStatus.Error.Name | Should -Be $script:faultyName
        $script:byStatus.Complete.Count | Should -Be 3
        $script:byStatus.Piped.Name | Should -Be $script:faultyName
        $line = 'Get-NmcDevice -Status Update'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain "'Update Error'"
        $completions | Should -Contain "'Update Complete'"
    }
}
