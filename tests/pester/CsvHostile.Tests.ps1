#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Issue 13 defect 6: broken and hostile device files are reported line by line, through the module
# as a user runs it: an unclosed quote costs its own line only, a binary file adds nothing, an
# over-long line is skipped, and Import-Csv | Add-NmcDevice names the piped row and what went wrong.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:dataHome = Enter-TestHome 'securenmc-pester-csv'
    Import-Module (Get-TestModuleManifest) -Force -ErrorAction Stop
    function Clear-Inventory { Get-NmcDevice | Remove-NmcDevice -Confirm:$false }
}

AfterAll {
    Exit-TestHome $script:dataHome
}

Describe 'Import-NmcDevice with broken device files' {
    BeforeEach { Clear-Inventory }

    It 'reports an unterminated quote on the line that opens it and imports every later line' {
        $file = Join-Path $TestDrive 'quote.csv'
        [System.IO.File]::WriteAllText($file, "Host,Name`n10.0.0.1,a`n10.0.0.2,`"Rack 2`n10.0.0.4,d`n10.0.0.5,e`n")
        Import-NmcDevice -Path $file -ErrorAction SilentlyContinue -ErrorVariable lineErrors
        $lineErrors.Count | Should -Be 1
        $lineErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.InvalidDeviceLine*'
        $lineErrors[0].TargetObject | Should -BeLike '*quote.csv:3'
        $lineErrors[0].Exception.Message | Should -Match 'line 3: A quoted field opened on this line is never closed'
        @(Get-NmcDevice | Sort-Object Host | ForEach-Object Host) | Should -Be @('10.0.0.1', '10.0.0.4', '10.0.0.5')
    }

    It 'refuses a file of NUL bytes as not text and adds nothing' {
        $file = Join-Path $TestDrive 'zeros.csv'
        [System.IO.File]::WriteAllBytes($file, [byte[]]::new(1MB))
        Import-NmcDevice -Path $file -ErrorAction SilentlyContinue -ErrorVariable lineErrors
        $lineErrors.Count | Should -Be 1
        $lineErrors[0].Exception.Message | Should -Match 'not a text file'
        @(Get-NmcDevice).Count | Should -Be 0
    }

    It 'adds no device from random binary junk, not even single letters' {
        $bytes = [byte[]]::new(200KB)
        (New-Object System.Random 13).NextBytes($bytes)
        for ($i = 0; $i -lt $bytes.Length; $i += 5) { $bytes[$i] = 10 }
        $file = Join-Path $TestDrive 'junk.csv'
        [System.IO.File]::WriteAllBytes($file, $bytes)
        Import-NmcDevice -Path $file -ErrorAction SilentlyContinue -ErrorVariable lineErrors
        $lineErrors.Count | Should -Be 1
        $lineErrors[0].Exception.Message | Should -Match 'not UTF-8'
        @(Get-NmcDevice).Count | Should -Be 0
    }

    It 'skips an over-long line, naming it, and reads the next' {
        $file = Join-Path $TestDrive 'long.csv'
        [System.IO.File]::WriteAllText($file, "10.0.0.1," + ('x' * 200KB) + "`n10.0.0.2`n")
        Import-NmcDevice -Path $file -ErrorAction SilentlyContinue -ErrorVariable lineErrors
        $lineErrors.Count | Should -Be 1
        $lineErrors[0].Exception.Message | Should -Match 'line 1: The line is longer than 64 KiB'
        @(Get-NmcDevice | ForEach-Object Host) | Should -Be @('10.0.0.2')
    }
}

Describe 'Import-Csv | Add-NmcDevice with a broken file' {
    BeforeEach { Clear-Inventory }

    It 'reports the row that swallowed later lines (PowerShell''s own CSV reader) and says why' {
        $file = Join-Path $TestDrive 'piped.csv'
        [System.IO.File]::WriteAllText($file, "Host,Name`n10.0.0.1,a`n10.0.0.2,`"Rack 2`n10.0.0.4,d`n")
        Import-Csv -LiteralPath $file | Add-NmcDevice -SkipQuery -ErrorAction SilentlyContinue -ErrorVariable rowErrors
        $rowErrors.Count | Should -Be 1
        $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.InvalidDevice*'
        $rowErrors[0].Exception.Message | Should -Match 'pipeline object 2'
        $rowErrors[0].Exception.Message | Should -Match 'a quote on that line is never closed'
        $rowErrors[0].Exception.Message | Should -Match 'Import-NmcDevice'
        @(Get-NmcDevice | ForEach-Object Host) | Should -Be @('10.0.0.1')
    }

    It 'refuses a row with control characters, naming it, and adds the others' {
        $file = Join-Path $TestDrive 'control.csv'
        [System.IO.File]::WriteAllText($file, "Host,Name`n10.0.0.7,x$([char]1)y`n10.0.0.8,ok`n")
        Import-Csv -LiteralPath $file | Add-NmcDevice -SkipQuery -ErrorAction SilentlyContinue -ErrorVariable rowErrors
        $rowErrors.Count | Should -Be 1
        $rowErrors[0].Exception.Message | Should -Match 'pipeline object 1: The name contains a control character'
        @(Get-NmcDevice | ForEach-Object Host) | Should -Be @('10.0.0.8')
    }
}
