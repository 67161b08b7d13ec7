using System.Linq;
using SecureNmc.Module.Tests.PowerShellData;

namespace SecureNmc.Module.Tests
{
    /// <summary>The script checks themselves: they find what they claim to find, and nothing in strings or comments.</summary>
    public sealed class PowerShellScannerTests
    {
        private static bool IsNmc(string name) => name.Contains("-Nmc");

        [Fact]
        public void Finds_commands_in_command_position_with_their_own_parameters()
        {
            const string script = "$d = Add-NmcDevice -Host 10.0.0.1 -Name:'x' -Port (Get-Port -Default) `\n  -PassThru | Set-NmcDevice -Protocol FTP\n" +
                                  "Get-Help Get-NmcDevice -Full\n'Remove-NmcDevice -Bogus' # Remove-NmcDevice -Bogus\n@(Get-NmcDevice).Count";
            var calls = PowerShellScanner.Invocations(PowerShellScanner.Tokenize(script), IsNmc).ToList();
            Assert.Equal(new[] { "Add-NmcDevice", "Set-NmcDevice", "Get-NmcDevice" }, calls.Select(c => c.Command.Text));
            Assert.Equal(new[] { "Host", "Name", "Port", "PassThru" }, calls[0].Parameters.Select(PowerShellScanner.ParameterName));
            Assert.Equal(new[] { "Protocol" }, calls[1].Parameters.Select(PowerShellScanner.ParameterName));
            Assert.Empty(calls[2].Parameters);
            Assert.Equal(5, calls[2].Command.Line);
        }

        [Fact]
        public void Strings_here_strings_and_block_comments_hide_their_content()
        {
            const string script = "<# Get-NmcDevice -Nope #>\n$s = @'\nGet-NmcDevice -Nope\n'@\n$t = \"$(Get-Date) Get-NmcDevice -Nope\"\nGet-NmcDevice -Name a";
            var calls = PowerShellScanner.Invocations(PowerShellScanner.Tokenize(script), IsNmc).ToList();
            var call = Assert.Single(calls);
            Assert.Equal(6, call.Command.Line);
            Assert.Equal("Name", PowerShellScanner.ParameterName(Assert.Single(call.Parameters)));
        }

        [Fact]
        public void Markdown_code_comes_from_powershell_fences_and_inline_spans()
        {
            const string md = "Intro `Get-NmcSetting -Name X` and `not code`.\n\n```powershell\nGet-NmcDevice -Status 'Unknown'\n```\n\n```text\nGet-NmcDevice -Ignored\n```\n";
            var code = PowerShellScanner.MarkdownCode(md, s => s.Contains("-Nmc")).ToList();
            Assert.Equal(2, code.Count);
            Assert.Contains(code, c => c.Code.StartsWith("Get-NmcDevice -Status") && c.Line == 4);
            Assert.Contains(code, c => c.Code == "Get-NmcSetting -Name X");
        }

        [Theory]
        [InlineData("$a = $b ?? 'x'", "PowerShell 7 only")]
        [InlineData("$a = $b?.Name", "PowerShell 7 only")]
        [InlineData("dotnet build && dotnet test", "PowerShell 7 only")]
        [InlineData("$a = $ok ? 1 : 2", "ternary")]
        [InlineData("1..3 | ForEach-Object -Parallel { $_ }", "-Parallel")]
        [InlineData("if ($IsWindows) { 'w' }", "$IsWindows")]
        [InlineData("Join-Path $a 'b' 'c'", "3 path parts")]
        [InlineData("$p = ConvertFrom-SecureString $s -AsPlainText", "AsPlainText")]
        [InlineData("Set-Content x -Encoding utf8NoBOM -Value 1", "utf8NoBOM")]
        [InlineData("if ($a) { 'x'", "never closed")]
        public void Windows_PowerShell_check_catches_PowerShell_7_only_code(string script, string expected)
        {
            var problems = ScriptReviewTests.WindowsPowerShellProblems("t.ps1", script);
            Assert.Contains(problems, p => p.Contains(expected));
        }

        [Fact]
        public void Windows_PowerShell_check_passes_5_1_code()
        {
            const string script = "$x = Join-Path (Join-Path $PSScriptRoot '..') 'out'\n$y = if ($a) { 1 } else { 2 }\nGet-ChildItem | Where-Object { $_.Name -like 'a?c' } | ? { $_ }\n$ok = $?";
            Assert.Empty(ScriptReviewTests.WindowsPowerShellProblems("t.ps1", script));
        }

        [Fact]
        public void Pester_check_flags_discovery_variables_read_in_tests_but_not_BeforeAll_or_ForEach_data()
        {
            const string bad = "Describe 'x' {\n  $device = Get-Thing\n  foreach ($name in 'a','b') {\n    It \"checks $name\" {\n      $device | Should -Not -BeNullOrEmpty\n      $name | Should -Be 'a'\n    }\n  }\n}";
            var problems = ScriptReviewTests.DiscoveryVariablesReadInTests("t.Tests.ps1", bad);
            Assert.Contains(problems, p => p.Contains("$device"));
            Assert.Contains(problems, p => p.Contains("$name"));

            const string good = "BeforeAll { $script:device = Get-Thing }\nDescribe 'x' {\n  $cases = @('a')\n  It 'checks <_>' -ForEach $cases {\n    $script:device | Should -Not -BeNullOrEmpty\n    $_ | Should -Be 'a'\n  }\n}";
            Assert.Empty(ScriptReviewTests.DiscoveryVariablesReadInTests("t.Tests.ps1", good));
        }
    }
}
