#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Export-NmcReport end to end: a simulated fleet after a partly failed update (faulted cards), with
# hostile device names, one card without a subscription, one with wrong credentials, one gone
# offline and an NMC2. The report's counts must match Get-NmcDevice and Get-NmcFirmwareUpdate,
# names must be escaped (HTML) and neutralised (CSV), and no password or token used may appear.
# The HTML form is also rendered by headless Chromium (PNG at 1280 px and PDF) when it is installed.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:dataHome = Enter-TestHome 'securenmc-pester-report'
    Import-Module (Get-TestModuleManifest) -Force -ErrorAction Stop
    $script:work = Join-Path $script:dataHome 'work'
    New-Item -ItemType Directory -Path $script:work | Out-Null

    $script:scriptName = '<script>alert(1)</script>'
    $script:formulaName = "=cmd|' /C calc'!A0"

    # Six cards: 2 drops its upload (Update Error after its attempts), 6 is an NMC2.
    $script:cards = Start-NmcSimulator -Count 6 -TimeScale 0.01 -Nmc2Count 1 -Fault @{ 2 = 'DropUploadAfterBytes=65536' } -Confirm:$false
    $script:cards | Add-NmcDevice -SkipQuery -Confirm:$false -WarningAction SilentlyContinue | Out-Null
    Update-NmcDevice -Confirm:$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
    Set-NmcDevice -Device 'nmc-0004' -NewName $script:scriptName -Confirm:$false
    Set-NmcDevice -Device 'nmc-0005' -NewName $script:formulaName -Confirm:$false

    # Subscriptions bought 350 days ago (the included year ends within 30 days) for every NMC3 but nmc-0003;
    # the EU1P card gets a purchased one with an Activation ID instead.
    $nmc3 = @(Get-NmcDevice | Where-Object { $null -ne $_.ApplicationType })
    $script:licensing = $nmc3 | Start-NmcLicensingSimulator -PurchaseDate (Get-Date).AddDays(-350) -Confirm:$false
    Connect-NmcAccount -Credential $script:licensing.Credential -Confirm:$false | Out-Null
    $nmc3 | Where-Object { $_.Name -notin 'nmc-0003', $script:formulaName } | Enable-NmcSubscription -Confirm:$false -WarningAction SilentlyContinue | Out-Null
    $script:activationId = $script:licensing.ActivationIds | Where-Object { $_ -like 'AID-EU1P-*' } | Select-Object -First 1
    Enable-NmcSubscription -Device $script:formulaName -ActivationId $script:activationId -Confirm:$false -WarningAction SilentlyContinue | Out-Null

    $downloads = Join-Path $script:dataHome 'downloads'
    New-Item -ItemType Directory -Path $downloads | Out-Null
    foreach ($type in $nmc3 | ForEach-Object ApplicationType | Sort-Object -Unique) {
        [SecureNmc.Simulator.Firmware.SimulatorFirmwarePackage]::Create($downloads, $type, '2.9.0.2', '2.9.0.1') | Out-Null
    }
    Get-ChildItem -LiteralPath $downloads -Filter *.nmc3 | ForEach-Object { Import-NmcFirmware -Path $_.FullName -Confirm:$false } | Out-Null

    # The partly failed update, then two cards go wrong afterwards: one offline, one with a changed password.
    Get-NmcDevice | Invoke-NmcFirmwareUpdate -Confirm:$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
    $script:cards[3].Card.Faults.RefuseConnections = $true
    Update-NmcDevice -Device $script:scriptName -Confirm:$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
    $wrong = New-Object System.Management.Automation.PSCredential ('admin', (ConvertTo-SecureString 'Not-The-Pa55word' -AsPlainText -Force))
    Set-NmcDevice -Device 'nmc-0001' -Credential $wrong -Confirm:$false
    Update-NmcDevice -Device 'nmc-0001' -Confirm:$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null

    # A bundle with a password, so that password is one the report must not hold either.
    $script:bundlePassword = 'Report-Bundle-Pa55-9241'
    Export-NmcBundle -Path (Join-Path $script:work 'fleet.snmc') -Password (ConvertTo-SecureString $script:bundlePassword -AsPlainText -Force) -Confirm:$false | Out-Null

    Set-Location -LiteralPath $script:work
    $script:html = Export-NmcReport -Path './fleet.html' -Confirm:$false
    $script:csv = Export-NmcReport -Path './fleet.csv' -Format Csv -Confirm:$false
    $script:json = Export-NmcReport -Path './fleet.json' -Format Json -Confirm:$false
    $script:htmlText = Get-Content -LiteralPath $script:html.Path -Raw
    $script:report = Get-Content -LiteralPath $script:json.Path -Raw | ConvertFrom-Json

    function StatusText($device) { [SecureNmc.Core.Devices.DeviceStatusText]::ToText($device.Status) }
    $script:passwords = @(
        [SecureNmc.Simulator.Fleet.SimulatedFleet]::AdministratorCredential.Password
        'Not-The-Pa55word'
        $script:bundlePassword
        $script:licensing.Credential.GetNetworkCredential().Password
        [System.Net.NetworkCredential]::new('', $script:licensing.Token).Password
        $script:activationId
    )
}

AfterAll {
    Set-Location -LiteralPath ([System.IO.Path]::GetTempPath())
    Exit-TestHome $script:dataHome
}

Describe 'Export-NmcReport after a partly failed update' {
    It 'rehearsed what it should: some cards updated, some failed, and the problems the report must show' {
        $run = @(Get-NmcFirmwareUpdate)
        @($run | Where-Object { $_.Outcome -eq 'Updated' }).Count | Should -BeGreaterThan 0
        @($run | Where-Object { $_.Outcome -eq 'Failed' }).Count | Should -BeGreaterThan 0
        $statuses = Get-NmcDevice | ForEach-Object { StatusText $_ }
        $statuses | Should -Contain 'Incorrect Credentials'
        $statuses | Should -Contain 'Not Accessible'
    }

    It 'returns a result with the path, format and counts' {
        $script:html.Format | Should -Be 'Html'
        $script:html.Path | Should -Be (Join-Path $script:work 'fleet.html')
        $script:html.Devices | Should -Be @(Get-NmcDevice).Count
        $script:html.Length | Should -Be (Get-Item -LiteralPath $script:html.Path).Length
        $script:csv.Format | Should -Be 'Csv'
        ($script:html | Out-String -Width 200) | Should -BeLike '*NeedingAction*fleet.html*'
    }

    It 'counts cards by status, in the SNS wording, as Get-NmcDevice shows them' {
        $expected = Get-NmcDevice | Group-Object { StatusText $_ } | Sort-Object Name | ForEach-Object { '{0}={1}' -f $_.Name, $_.Count }
        $script:report.summary.byStatus | Sort-Object label | ForEach-Object { '{0}={1}' -f $_.label, $_.count } | Should -Be $expected
        foreach ($group in Get-NmcDevice | Group-Object { StatusText $_ }) {
            $script:htmlText | Should -BeLike "*<title>$($group.Name): $($group.Count)</title>*" -Because 'the status chart has one bar per status'
        }
    }

    It 'holds the last run as Get-NmcFirmwareUpdate shows it: outcome, attempts and error per card' {
        $run = @(Get-NmcFirmwareUpdate)
        $script:report.lastRun.cards.Count | Should -Be $run.Count
        $script:report.lastRun.updated | Should -Be @($run | Where-Object { $_.Outcome -eq 'Updated' }).Count
        $script:report.lastRun.failed | Should -Be @($run | Where-Object { $_.Outcome -eq 'Failed' }).Count
        $script:html.LastRunCards | Should -Be $run.Count
        $script:html.LastRunFailed | Should -Be $script:report.lastRun.failed
        foreach ($card in $run) {
            $row = $script:report.lastRun.cards | Where-Object card -EQ $card.DeviceName
            $row.status | Should -Be $card.StatusText
            $row.attempts | Should -Be $card.Attempt
            if ($card.Outcome -eq 'Failed') { $row.error | Should -Be $card.Detail }
        }
        @($script:report.lastRun.progress).Count | Should -Be @($run | Where-Object Finished).Count
        $script:htmlText | Should -BeLike "*$($run.Count) cards: $($script:report.lastRun.updated) updated, $($script:report.lastRun.failed) failed*"
    }

    It 'lists the cards needing action with guidance, and the NMC2 card outside the Secure NMC System' {
        $problems = $script:report.actions | ForEach-Object problem
        $problems | Should -Contain 'Activate Subscription to Update'
        $problems | Should -Contain 'Incorrect Credentials'
        $problems | Should -Contain 'Not Accessible'
        $problems | Should -Contain 'NMC2 card (outside the Secure NMC System)'
        ($script:report.actions | Where-Object problem -EQ 'Incorrect Credentials').card | Should -Be 'nmc-0001'
        $script:htmlText | Should -BeLike '*Set-NmcDevice -Credential*'
        $script:html.NeedingAction | Should -Be @($script:report.actions).Count
    }

    It 'shows subscriptions expiring within 30 days, and an Activation ID only by its last four characters' {
        $stored = Get-NmcDevice | Where-Object { $null -ne $_.ApplicationType } | Get-NmcSubscription -Offline -WarningAction SilentlyContinue
        $script:report.summary.subscriptions.expiringSoon | Should -Be @($stored | Where-Object { "$($_.State)" -eq 'ExpiringSoon' }).Count
        $script:report.summary.subscriptions.expiringSoon | Should -BeGreaterThan 0
        $script:htmlText | Should -BeLike '*<tr class="row-warn">*'
        $ending = ($script:report.cards | Where-Object name -EQ $script:formulaName).subscription.activationIdEnding
        $ending | Should -Be ([char]0x2026 + $script:activationId.Substring($script:activationId.Length - 4))
    }

    It 'escapes a hostile device name in the HTML report' {
        $script:htmlText | Should -Not -BeLike "*$script:scriptName*"
        $script:htmlText | Should -BeLike '*&lt;script&gt;alert(1)&lt;/script&gt;*'
        ([regex]::Matches($script:htmlText, '<script')).Count | Should -Be 1 -Because 'the only script is the page''s own self-check'
    }

    It 'neutralises formula cells in the CSV form' {
        $rows = Import-Csv -LiteralPath $script:csv.Path
        $rows.Count | Should -Be @(Get-NmcDevice).Count
        ($rows | Where-Object Host -EQ $script:cards[4].Host).Name | Should -Be ("'" + $script:formulaName)
        ($rows | Where-Object Host -EQ $script:cards[3].Host).Name | Should -Be $script:scriptName
        foreach ($row in $rows) { foreach ($cell in $row.PSObject.Properties.Value) { $cell | Should -Not -Match '^\s*[=+\-@]' } }
    }

    It 'contains none of the passwords, tokens or Activation IDs used, in any format' {
        foreach ($file in $script:html.Path, $script:csv.Path, $script:json.Path) {
            $text = Get-Content -LiteralPath $file -Raw
            foreach ($secret in $script:passwords) {
                $secret | Should -Not -BeNullOrEmpty
                $text.Contains($secret) | Should -BeFalse -Because "$file must not hold a secret used in the rehearsal"
            }
        }
    }

    It 'reports only the piped cards' {
        $result = Get-NmcDevice -Name 'nmc-000[23]' | Export-NmcReport -Path './two.json' -Format Json
        $result.Devices | Should -Be 2
        $two = Get-Content -LiteralPath $result.Path -Raw | ConvertFrom-Json
        @($two.cards.name) | Should -Be @('nmc-0002', 'nmc-0003')
        @($two.lastRun.cards).Count | Should -Be 2
    }

    It 'refuses to replace a file without -Force, and replaces it with -Force' {
        Set-Content -LiteralPath './old.html' -Value 'old report'
        { Export-NmcReport -Path './old.html' -ErrorAction Stop } | Should -Throw -ErrorId 'SecureNmc.ExportFileExists*'
        Get-Content -LiteralPath './old.html' -Raw | Should -BeLike 'old report*'
        Export-NmcReport -Path './old.html' -Force | Out-Null
        Get-Content -LiteralPath './old.html' -Raw | Should -BeLike '<!DOCTYPE html>*'
    }

    It 'writes a file whose name has brackets with -LiteralPath' {
        $result = Export-NmcReport -LiteralPath './fleet[b].html'
        Test-Path -LiteralPath (Join-Path $script:work 'fleet[b].html') | Should -BeTrue
        $result.Path | Should -Be (Join-Path $script:work 'fleet[b].html')
    }
}

Describe 'The HTML report in a browser' {
    BeforeAll {
        $script:chromium = Get-Command -Name chromium, chromium-browser -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        # Runs headless Chromium on the report with a throwaway profile and no network features; returns stdout and stderr.
        function Invoke-Chromium([string[]] $Arguments) {
            $userData = Join-Path $script:dataHome ('chromium-' + [guid]::NewGuid().ToString('N'))
            New-Item -ItemType Directory -Path $userData | Out-Null
            $common = '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', "--user-data-dir=$userData", '--enable-logging=stderr', '--v=0'
            $url = [System.UriBuilder]::new('file', '', -1, $script:html.Path).Uri.AbsoluteUri  # file:///tmp/... or file:///C:/...
            $errFile = Join-Path $userData 'stderr.txt'
            $out = & $script:chromium.Source @common @Arguments $url 2> $errFile
            [pscustomobject]@{ Out = ($out -join "`n"); Err = (Get-Content -LiteralPath $errFile -Raw) }
        }
    }

    It 'renders to PNG at 1280 px and to PDF, in the light and dark schemes, with every chart drawn and no console errors' {
        if (-not $script:chromium) { Set-ItResult -Skipped -Because 'chromium is not installed (apt-get install chromium); the browser check needs it'; return }
        $png = Join-Path $script:work 'fleet.png'
        $pdf = Join-Path $script:work 'fleet.pdf'
        $shot = Invoke-Chromium @("--screenshot=$png", '--window-size=1280,2000', '--hide-scrollbars')
        $print = Invoke-Chromium @("--print-to-pdf=$pdf", '--no-pdf-header-footer')
        $dom = Invoke-Chromium @('--dump-dom', '--virtual-time-budget=3000')

        Test-Path -LiteralPath $png | Should -BeTrue -Because "chromium wrote a screenshot ($($shot.Err))"
        Test-Path -LiteralPath $pdf | Should -BeTrue -Because "chromium printed a PDF ($($print.Err))"
        $bytes = [System.IO.File]::ReadAllBytes($png)
        [System.Text.Encoding]::ASCII.GetString($bytes, 1, 3) | Should -Be 'PNG'
        # IHDR width, big-endian, at offset 16.
        ([int] $bytes[16] * 16777216 + [int] $bytes[17] * 65536 + [int] $bytes[18] * 256 + [int] $bytes[19]) | Should -Be 1280
        [System.Text.Encoding]::ASCII.GetString([System.IO.File]::ReadAllBytes($pdf), 0, 5) | Should -Be '%PDF-'

        # The page's self-check ran (the CSP hash matched) and found every chart drawn.
        $dom.Out | Should -Match 'data-report-check="ok"'
        $dom.Out | Should -Match 'data-report-charts="7"'
        ([regex]::Matches($dom.Out, '<svg ')).Count | Should -Be 7
        # The light scheme by default, the dark one when the browser prefers it: a different page background.
        $dark = Invoke-Chromium @('--dump-dom', '--virtual-time-budget=3000', '--blink-settings=preferredColorScheme=0')
        $dom.Out | Should -Match 'data-report-scheme="light"'
        $dark.Out | Should -Match 'data-report-scheme="dark"'
        $dark.Out | Should -Match 'data-report-check="ok"'
        $lightBackground = [regex]::Match($dom.Out, 'data-report-background="([^"]+)"').Groups[1].Value
        $darkBackground = [regex]::Match($dark.Out, 'data-report-background="([^"]+)"').Groups[1].Value
        $lightBackground | Should -Not -BeNullOrEmpty
        $darkBackground | Should -Not -Be $lightBackground
        foreach ($run in $shot, $print, $dom, $dark) {
            $console = @($run.Err -split "`n" | Where-Object { $_ -match ':CONSOLE' -or $_ -match 'Uncaught' })
            $console | Should -BeNullOrEmpty -Because 'the report logs nothing and violates no policy'
        }
    }
}
