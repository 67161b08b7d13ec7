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
        ($settings | Where-Object Name -eq 'RestartWaitMinutes').Value | Should -Be 10
    }

    It 'are changed by Set-NmcSetting and kept for the next command' {
        Set-NmcSetting -ConnectTimeoutSeconds 45 -ReplyTimeoutSeconds 120 -UploadStallTimeoutSeconds 90 -RestartWaitMinutes 15 -Confirm:$false
        $settings = Get-NmcSetting -Name ConnectTimeoutSeconds, ReplyTimeoutSeconds, UploadStallTimeoutSeconds, RestartWaitMinutes
        ($settings | ForEach-Object { '{0}={1}' -f $_.Name, $_.Value }) -join ' ' |
            Should -Be 'ConnectTimeoutSeconds=45 ReplyTimeoutSeconds=120 UploadStallTimeoutSeconds=90 RestartWaitMinutes=15'
        Get-Content (Join-Path $script:testHome '*.json') -Raw | Should -Match '"ReplyTimeoutSeconds": 120'
    }

    It 'refuse a value out of range with the range and change nothing' {
        { Set-NmcSetting -ReplyTimeoutSeconds 5000 -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'SecureNmc.InvalidSetting*' -ExpectedMessage '*ReplyTimeoutSeconds*1 to 3600*'
        (Get-NmcSetting -Name ReplyTimeoutSeconds).Value | Should -Be 120
    }

    It 'go back to their defaults with -Reset' {
        Set-NmcSetting -Reset ConnectTimeoutSeconds, ReplyTimeoutSeconds, UploadStallTimeoutSeconds, RestartWaitMinutes -Confirm:$false
        (Get-NmcSetting -Name ReplyTimeoutSeconds).Value | Should -Be 60
        (Get-NmcSetting -Name RestartWaitMinutes).IsDefault | Should -BeTrue
    }
}
