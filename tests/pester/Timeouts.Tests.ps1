#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The timeout settings through Import-Module: set, shown, refused out of range, reset.
# Run: ./build.ps1 -Task Pester

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:testHome = Enter-TestHome 'securenmc-pester-timeouts'
    $manifest = Join-Path $PSScriptRoot (Join-Path '..' (Join-Path '..' (Join-Path 'out' (Join-Path 'SecureNmc' 'SecureNmc.psd1'))))
    Import-Module $manifest -Force -ErrorAction Stop
}

AfterAll {
    Exit-TestHome $script:testHome
}

Describe 'Timeout settings' {
    It 'have the limits cards always got by default' {
        $settings = Get-NmcSetting
        ($settings | Where-Object Name -eq 'ConnectTimeoutSeconds').Value | Should -Be 30
        ($settings | Where-Object Name -eq 'ReplyTimeoutSeconds').Value | Should -Be 60
        ($settings | Where-Object Name -eq 'UploadStallTimeoutSeconds').Value | Should -Be 60
        ($settings | Where-Object Name -eq 'RestartTimeoutSeconds').Value | Should -Be 600
    }

    It 'are changed by Set-NmcSetting and kept for the next command' {
        Set-NmcSetting -ConnectTimeoutSeconds 45 -ReplyTimeoutSeconds 120 -UploadStallTimeoutSeconds 90 -RestartTimeoutSeconds 900 -Confirm:$false
        $settings = Get-NmcSetting -Name ConnectTimeoutSeconds, ReplyTimeoutSeconds, UploadStallTimeoutSeconds, RestartTimeoutSeconds
        ($settings | ForEach-Object { '{0}={1}' -f $_.Name, $_.Value }) -join ' ' |
            Should -Be 'RestartTimeoutSeconds=900 ConnectTimeoutSeconds=45 ReplyTimeoutSeconds=120 UploadStallTimeoutSeconds=90'
        Get-Content (Join-Path $script:testHome '*.json') -Raw | Should -Match '"ReplyTimeoutSeconds": 120'
    }

    It 'refuse a value out of range with the range and change nothing' {
        { Set-NmcSetting -ReplyTimeoutSeconds 5000 -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'SecureNmc.InvalidSetting*' -ExpectedMessage '*ReplyTimeoutSeconds*1 to 3600*'
        (Get-NmcSetting -Name ReplyTimeoutSeconds).Value | Should -Be 120
    }

    It 'go back to their defaults with -Reset' {
        Set-NmcSetting -Reset ConnectTimeoutSeconds, ReplyTimeoutSeconds, UploadStallTimeoutSeconds, RestartTimeoutSeconds -Confirm:$false
        (Get-NmcSetting -Name ReplyTimeoutSeconds).Value | Should -Be 60
        (Get-NmcSetting -Name RestartTimeoutSeconds).IsDefault | Should -BeTrue
    }
}
