using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SecureNmc.Module.Tests.PowerShellData;

namespace SecureNmc.Module.Tests
{
    /// <summary>
    /// The PowerShell users run (README code, about_SecureNmc, help examples, tests/pester, build.ps1)
    /// is checked without PowerShell: every SecureNmc cmdlet it calls exists and every -Parameter it
    /// passes is one the cmdlet has, so renaming a parameter fails this build instead of a user's
    /// script; the scripts also stay Windows PowerShell 5.1 syntax and Pester 5 semantics.
    /// </summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class ScriptReviewTests
    {
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        private static readonly Regex NmcCommand = new Regex(@"^[A-Z][a-z]+-Nmc[A-Za-z0-9]*$");

        /// <summary>PowerShell's common parameters and their aliases (5.1 and 7).</summary>
        private static readonly HashSet<string> CommonParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Verbose", "vb", "Debug", "db", "ErrorAction", "ea", "WarningAction", "wa", "InformationAction", "infa",
            "ErrorVariable", "ev", "WarningVariable", "wv", "InformationVariable", "iv", "OutVariable", "ov",
            "OutBuffer", "ob", "PipelineVariable", "pv",
        };

        private static readonly HashSet<string> ShouldProcessParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "WhatIf", "wi", "Confirm", "cf" };

        /// <summary>Pester 5's Should: its operators and the parameters those operators take.</summary>
        private static readonly HashSet<string> ShouldParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Be", "BeExactly", "BeGreaterThan", "BeGreaterOrEqual", "BeLessThan", "BeLessOrEqual", "BeIn", "BeLike", "BeLikeExactly",
            "BeNullOrEmpty", "BeOfType", "BeTrue", "BeFalse", "Contain", "Exist", "FileContentMatch", "FileContentMatchExactly",
            "FileContentMatchMultiline", "FileContentMatchMultilineExactly", "HaveCount", "HaveParameter", "Match", "MatchExactly",
            "Throw", "Invoke", "InvokeVerifiable",
            "Not", "Because", "ActualValue", "ExpectedValue", "ExpectedMessage", "ErrorId", "ExceptionType", "PassThru",
            "CommandName", "Times", "Exactly", "ModuleName", "ParameterFilter", "ExclusiveFilter", "Scope", "ParameterName",
            "Type", "DefaultValue", "Mandatory", "InParameterSet", "HasArgumentCompleter", "Alias", "ExpectedContent", "ExpectedType",
        };

        private readonly BuiltModule _module;
        private readonly string _root;

        public ScriptReviewTests(BuiltModule module)
        {
            _module = module;
            _root = ManifestSyntaxTests.RepositoryRoot();
        }

        public static IEnumerable<object[]> PowerShellSources()
        {
            var root = ManifestSyntaxTests.RepositoryRoot();
            yield return new object[] { "README.md" };
            yield return new object[] { "en-US/about_SecureNmc.help.txt" };
            yield return new object[] { "(MAML help examples)" };
            foreach (var file in PesterFiles(root)) yield return new object[] { Relative(root, file) };
            // The user-facing guides in docs/ (docs/cmdlets/*.md reach the check as MAML examples).
            foreach (var file in Directory.GetFiles(Path.Combine(root, "docs"), "*.md").OrderBy(f => f, StringComparer.Ordinal))
                yield return new object[] { Relative(root, file) };
        }

        public static IEnumerable<object[]> Scripts()
        {
            var root = ManifestSyntaxTests.RepositoryRoot();
            yield return new object[] { "build.ps1" };
            foreach (var file in PesterFiles(root)) yield return new object[] { Relative(root, file) };
        }

        public static IEnumerable<object[]> PesterScripts()
        {
            var root = ManifestSyntaxTests.RepositoryRoot();
            return PesterFiles(root).Select(f => new object[] { Relative(root, f) });
        }

        [Theory]
        [MemberData(nameof(PowerShellSources))]
        public void Every_SecureNmc_cmdlet_and_parameter_used_exists(string source)
        {
            var problems = new List<string>();
            foreach (var (code, line, where) in CodeOf(source))
            {
                var tokens = PowerShellScanner.Tokenize(code);
                foreach (var call in PowerShellScanner.Invocations(tokens, NmcCommand.IsMatch))
                {
                    var at = $"{where}:{line + call.Command.Line - 1}";
                    var cmdlet = _module.Cmdlets.FirstOrDefault(c => string.Equals(c.Name, call.Command.Text, StringComparison.OrdinalIgnoreCase));
                    if (cmdlet == null) { problems.Add($"{at}: {call.Command.Text} is not a cmdlet of the module."); continue; }
                    var known = new HashSet<string>(cmdlet.Parameters.SelectMany(p => p.Aliases.Prepend(p.Name)), StringComparer.OrdinalIgnoreCase);
                    foreach (var parameter in call.Parameters)
                    {
                        var name = PowerShellScanner.ParameterName(parameter);
                        if (known.Contains(name) || CommonParameters.Contains(name)) continue;
                        if (ShouldProcessParameters.Contains(name))
                        {
                            if (!cmdlet.SupportsShouldProcess) problems.Add($"{at}: {cmdlet.Name} does not support -{name} (no ShouldProcess).");
                            continue;
                        }
                        problems.Add($"{at}: {cmdlet.Name} has no parameter -{name} (it has {string.Join(", ", cmdlet.Parameters.Select(p => "-" + p.Name))}).");
                    }
                }
            }
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        [Theory]
        [MemberData(nameof(Scripts))]
        public void Script_is_Windows_PowerShell_5_1_syntax_with_balanced_groups(string script)
        {
            var problems = WindowsPowerShellProblems(script, File.ReadAllText(Path.Combine(_root, script)));
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        internal static List<string> WindowsPowerShellProblems(string script, string text)
        {
            var tokens = PowerShellScanner.Tokenize(text);
            var problems = new List<string>();
            int open = 0;
            foreach (var t in tokens)
            {
                if (t.Kind == TokenKind.Open) open++;
                if (t.Kind == TokenKind.Close && --open < 0) { problems.Add($"{script}:{t.Line}: '{t.Text}' closes nothing."); open = 0; }
            }
            if (open != 0) problems.Add($"{script}: {open} group(s) never closed (or a string is never terminated).");
            for (int i = 0; i < tokens.Count; i++)
            {
                var t = tokens[i];
                if (t.Kind == TokenKind.Operator)
                    problems.Add($"{script}:{t.Line}: '{t.Text}' is PowerShell 7 only (Windows PowerShell 5.1 cannot parse it).");
                if (t.Kind == TokenKind.Other && t.Text == "?" && !PowerShellScanner.InCommandPosition(tokens, i))
                    problems.Add($"{script}:{t.Line}: the ternary '? :' is PowerShell 7 only; use if/else.");
                if (t.Kind == TokenKind.Variable && Regex.IsMatch(t.Text, @"^\$(IsWindows|IsLinux|IsMacOS|IsCoreCLR)$", RegexOptions.IgnoreCase))
                    problems.Add($"{script}:{t.Line}: {t.Text} does not exist in Windows PowerShell 5.1 (and fails under Set-StrictMode); test $PSVersionTable.PSEdition or [Environment]::OSVersion instead.");
                if (t.Kind == TokenKind.Parameter)
                {
                    var name = PowerShellScanner.ParameterName(t);
                    if (Regex.IsMatch(name, "^(Parallel|AsByteStream|AdditionalChildPath|SkipCertificateCheck|AsHashtable)$", RegexOptions.IgnoreCase))
                        problems.Add($"{script}:{t.Line}: -{name} is PowerShell 7 only.");
                }
                if (t.Kind == TokenKind.Word && Regex.IsMatch(t.Text, "^(Get-Error|Test-Json|Start-ThreadJob|Join-String|Get-Uptime|Remove-Alias|Remove-Service|ConvertTo-CliXml|ConvertFrom-CliXml)$", RegexOptions.IgnoreCase)
                    && PowerShellScanner.InCommandPosition(tokens, i))
                    problems.Add($"{script}:{t.Line}: {t.Text} does not exist in Windows PowerShell 5.1.");
                if (t.Kind == TokenKind.Word && (t.Text.Equals("utf8NoBOM", StringComparison.OrdinalIgnoreCase) || t.Text.Equals("utf8BOM", StringComparison.OrdinalIgnoreCase)))
                    problems.Add($"{script}:{t.Line}: -Encoding {t.Text} is PowerShell 7 only.");
            }
            foreach (var call in PowerShellScanner.Invocations(tokens, n => n.Equals("ConvertFrom-SecureString", StringComparison.OrdinalIgnoreCase)))
                if (call.Parameters.Any(p => PowerShellScanner.ParameterName(p).Equals("AsPlainText", StringComparison.OrdinalIgnoreCase)))
                    problems.Add($"{script}:{call.Command.Line}: ConvertFrom-SecureString -AsPlainText is PowerShell 7 only.");
            foreach (var call in PowerShellScanner.Invocations(tokens, n => n.Equals("Join-Path", StringComparison.OrdinalIgnoreCase)))
            {
                int positional = CountPositional(call);
                if (positional > 2) problems.Add($"{script}:{call.Command.Line}: Join-Path with {positional} path parts is PowerShell 7 only; nest Join-Path calls.");
            }
            return problems;
        }

        public static IEnumerable<object[]> PowerShellReadFiles()
        {
            var root = ManifestSyntaxTests.RepositoryRoot();
            foreach (var file in new[] { "build.ps1", "SecureNmc.psd1", "SecureNmc.format.ps1xml", "SecureNmc.types.ps1xml" }) yield return new object[] { file };
            foreach (var file in Directory.GetFiles(Path.Combine(root, "en-US"), "*.txt").OrderBy(f => f, StringComparer.Ordinal)) yield return new object[] { Relative(root, file) };
            foreach (var file in PesterFiles(root)) yield return new object[] { Relative(root, file) };
        }

        /// <summary>
        /// Windows PowerShell 5.1 reads a .ps1/.psd1/.txt without a byte order mark in the ANSI code
        /// page: UTF-8 text turns to mojibake, and a UTF-8 dash or quote (bytes E2 80 93/9C/9D) reads
        /// as a typographic quote that PowerShell treats as a string delimiter, breaking the parse.
        /// </summary>
        [Theory]
        [MemberData(nameof(PowerShellReadFiles))]
        public void File_is_ascii_or_utf8_with_a_byte_order_mark(string file)
        {
            var bytes = File.ReadAllBytes(Path.Combine(_root, file));
            bool bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
            if (bom || file.EndsWith(".ps1xml", StringComparison.OrdinalIgnoreCase)) return;   // XML declares its encoding
            int line = 1;
            for (int i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n') line++;
                Assert.True(bytes[i] < 0x80, $"{file}:{line}: a non-ASCII character in a file without a UTF-8 byte order mark; Windows PowerShell 5.1 misreads it. Use ASCII or save with a BOM.");
            }
        }

        [Theory]
        [MemberData(nameof(PesterScripts))]
        public void Pester_file_spells_Should_operators_right(string script)
        {
            var tokens = PowerShellScanner.Tokenize(File.ReadAllText(Path.Combine(_root, script)));
            var problems = new List<string>();
            foreach (var call in PowerShellScanner.Invocations(tokens, n => n.Equals("Should", StringComparison.OrdinalIgnoreCase)))
            {
                var names = call.Parameters.Select(PowerShellScanner.ParameterName).ToList();
                foreach (var name in names.Where(n => !ShouldParameters.Contains(n)))
                    problems.Add($"{script}:{call.Command.Line}: Should has no operator or parameter -{name}.");
                if (!names.Any(n => ShouldParameters.Contains(n) && char.IsUpper(n[0]) && n != "Not" && n != "Because" && n != "ActualValue" && n != "ExpectedValue"))
                    problems.Add($"{script}:{call.Command.Line}: Should without an operator (-Be, -Match, ...).");
            }
            foreach (var call in PowerShellScanner.Invocations(tokens, n => n is "Assert-MockCalled" or "Assert-VerifiableMock"))
                problems.Add($"{script}:{call.Command.Line}: {call.Command.Text} is Pester 4; use Should -Invoke / Should -InvokeVerifiable.");
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        /// <summary>
        /// Tests reach nothing beyond loopback: Add-NmcDevice queries the card before adding it, so a
        /// Pester test that adds a literal non-loopback host must say -SkipQuery (otherwise it dials
        /// out, waits for a timeout, and fails on "was not added").
        /// </summary>
        [Theory]
        [MemberData(nameof(PesterScripts))]
        public void Pester_file_adds_non_loopback_hosts_without_querying_them(string script)
        {
            var add = _module.Cmdlets.Single(c => c.Name == "Add-NmcDevice");
            if (!add.Parameters.Any(p => p.Name == "SkipQuery")) return;
            var hostNames = new HashSet<string>(add.Parameter("Host").Aliases.Prepend("Host"), StringComparer.OrdinalIgnoreCase);
            var tokens = PowerShellScanner.Tokenize(File.ReadAllText(Path.Combine(_root, script)));
            var problems = new List<string>();
            foreach (var call in PowerShellScanner.Invocations(tokens, n => n.Equals("Add-NmcDevice", StringComparison.OrdinalIgnoreCase)))
            {
                if (call.Parameters.Any(p => PowerShellScanner.ParameterName(p).Equals("SkipQuery", StringComparison.OrdinalIgnoreCase))) continue;
                for (int i = call.StartIndex + 1; i + 1 < call.EndIndex; i++)
                {
                    if (tokens[i].Kind != TokenKind.Parameter || !hostNames.Contains(PowerShellScanner.ParameterName(tokens[i]))) continue;
                    var value = tokens[i + 1];
                    if (value.Kind is TokenKind.Variable or TokenKind.Open) break;   // computed (e.g. a simulator's loopback address)
                    var host = value.Text.Trim('\'', '"');
                    if (!host.StartsWith("127.", StringComparison.Ordinal) && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase) && host != "::1")
                        problems.Add($"{script}:{call.Command.Line}: Add-NmcDevice -Host {host} would query a card off this machine; add -SkipQuery.");
                }
            }
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        /// <summary>
        /// Pester 5 runs a file twice: Discovery runs the Describe/Context bodies to find the tests,
        /// Run executes the It/BeforeAll/... blocks later. A variable set directly in a Describe
        /// body or at the top of the file (or a foreach loop variable there) is gone by the time an
        /// It block runs: it must be set in BeforeAll/BeforeEach, or passed with -ForEach.
        /// </summary>
        [Theory]
        [MemberData(nameof(PesterScripts))]
        public void Pester_file_sets_variables_where_its_tests_can_see_them(string script)
        {
            var problems = DiscoveryVariablesReadInTests(script, File.ReadAllText(Path.Combine(_root, script)));
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        internal static List<string> DiscoveryVariablesReadInTests(string script, string text)
        {
            var tokens = PowerShellScanner.Tokenize(text);
            var phase = PesterPhases(tokens);
            var discoveryAssigned = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var runAssigned = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var runRead = new List<(string Name, int Line)>();
            for (int i = 0; i < tokens.Count; i++)
            {
                var t = tokens[i];
                if (t.Kind != TokenKind.Variable) continue;
                var name = VariableName(t.Text);
                if (name == null) continue;
                bool assigned = (i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Assign)
                    || (i >= 2 && tokens[i - 1].Kind == TokenKind.Open && tokens[i - 1].Text == "(" && tokens[i - 2].Text.Equals("foreach", StringComparison.OrdinalIgnoreCase));
                if (phase[i] == Phase.Run)
                {
                    if (assigned) runAssigned.Add(name);
                    else runRead.Add((name, t.Line));
                }
                else if (assigned && !discoveryAssigned.ContainsKey(name)) discoveryAssigned[name] = t.Line;
            }
            var problems = runRead
                .Where(r => discoveryAssigned.ContainsKey(r.Name) && !runAssigned.Contains(r.Name))
                .Select(r => $"{script}:{r.Line}: ${r.Name} is set during Discovery (line {discoveryAssigned[r.Name]}) but read in a test block, where Pester 5 no longer has it; set it in BeforeAll or pass it with -ForEach.")
                .Distinct()
                .ToList();
            return problems;
        }

        [Theory]
        [MemberData(nameof(PesterScripts))]
        public void Pester_file_imports_the_built_module_by_a_path_relative_to_itself_and_restores_the_environment(string script)
        {
            var text = File.ReadAllText(Path.Combine(_root, script));
            var tokens = PowerShellScanner.Tokenize(text);
            var imports = PowerShellScanner.Invocations(tokens, n => n.Equals("Import-Module", StringComparison.OrdinalIgnoreCase)).ToList();
            foreach (var import in imports)
            {
                var names = import.Parameters.Select(PowerShellScanner.ParameterName).ToList();
                if (import.Arguments.Any(a => a.Text.Equals("Pester", StringComparison.OrdinalIgnoreCase))) continue;
                Assert.True(names.Contains("Force", StringComparer.OrdinalIgnoreCase), $"{script}:{import.Command.Line}: Import-Module without -Force keeps a stale SecureNmc loaded from an earlier run.");
            }
            if (imports.Count > 0)
                Assert.True(text.Contains("$PSScriptRoot", StringComparison.OrdinalIgnoreCase), $"{script}: import the built module by a path built from $PSScriptRoot, not the current directory.");
            // Environment variables the file sets are put back, so one file does not change the next.
            var setEnv = tokens.Where((t, i) => t.Kind == TokenKind.Variable && t.Text.StartsWith("$env:", StringComparison.OrdinalIgnoreCase)
                                               && i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Assign)
                               .Select(t => t.Text).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var afterAll = BlockBodies(tokens, "AfterAll");
            var finallyBlocks = FinallyBodies(tokens);
            bool isHelper = !script.EndsWith(".Tests.ps1", StringComparison.OrdinalIgnoreCase);
            foreach (var variable in setEnv)
            {
                // Restored in AfterAll, or put back in a finally block right where it was changed.
                // A helper file (TestSupport.ps1) pairs its own setter and restorer functions; the
                // test files that call them are held to the AfterAll rule below.
                bool restored = isHelper || Enumerable.Range(0, tokens.Count).Any(i =>
                    (afterAll[i] || finallyBlocks[i]) && tokens[i].Text.Equals(variable, StringComparison.OrdinalIgnoreCase) && i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Assign);
                Assert.True(restored, $"{script}: {variable} is set but not restored in AfterAll.");
            }
            bool entersTestHome = PowerShellScanner.Invocations(tokens, n => n.Equals("Enter-TestHome", StringComparison.OrdinalIgnoreCase)).Any();
            if (entersTestHome)
            {
                bool exits = PowerShellScanner.Invocations(tokens, n => n.Equals("Exit-TestHome", StringComparison.OrdinalIgnoreCase)).Any(c => afterAll[c.StartIndex]);
                Assert.True(exits, $"{script}: Enter-TestHome changes SECURENMC_HOME; call Exit-TestHome in AfterAll.");
            }
        }

        internal enum Phase { Discovery, Run }

        /// <summary>For each token: whether it sits inside the script block of a <paramref name="blockCommand"/> call (It, AfterAll...).</summary>
        /// <summary>For each token: whether it sits inside the body of a finally block.</summary>
        private static bool[] FinallyBodies(IReadOnlyList<PsToken> tokens)
        {
            var inside = new bool[tokens.Count];
            for (int i = 0; i + 1 < tokens.Count; i++)
            {
                if (!tokens[i].Text.Equals("finally", StringComparison.OrdinalIgnoreCase) || tokens[i + 1].Text != "{") continue;
                for (int k = i + 2; k < tokens.Count && tokens[k].Depth > tokens[i + 1].Depth; k++) inside[k] = true;
            }
            return inside;
        }

        private static bool[] BlockBodies(IReadOnlyList<PsToken> tokens, params string[] blockCommand)
        {
            var inside = new bool[tokens.Count];
            for (int i = 0; i < tokens.Count; i++)
            {
                if (tokens[i].Kind != TokenKind.Word || !blockCommand.Contains(tokens[i].Text, StringComparer.OrdinalIgnoreCase) || !PowerShellScanner.InCommandPosition(tokens, i)) continue;
                var call = PowerShellScanner.ReadInvocation(tokens, i);
                for (int j = i + 1; j < call.EndIndex; j++)
                {
                    if (tokens[j].Kind != TokenKind.Open || tokens[j].Text != "{" || tokens[j].Depth != tokens[i].Depth) continue;
                    bool isData = tokens[j - 1].Kind == TokenKind.Parameter
                                  && Regex.IsMatch(PowerShellScanner.ParameterName(tokens[j - 1]), "^(ForEach|TestCases)$", RegexOptions.IgnoreCase);
                    if (isData) continue;
                    for (int k = j + 1; k < tokens.Count && tokens[k].Depth > tokens[j].Depth; k++) inside[k] = true;
                    break;
                }
            }
            return inside;
        }

        /// <summary>For each token: Run when it sits inside an It/BeforeAll/BeforeEach/AfterAll/AfterEach script block, else Discovery.</summary>
        private static Phase[] PesterPhases(IReadOnlyList<PsToken> tokens) =>
            BlockBodies(tokens, "It", "BeforeAll", "BeforeEach", "AfterAll", "AfterEach").Select(run => run ? Phase.Run : Phase.Discovery).ToArray();

        /// <summary>The user variable a token names ($x, $script:x), or null for automatic and environment variables.</summary>
        private static string? VariableName(string token)
        {
            var name = token.TrimStart('$');
            if (name.StartsWith("script:", StringComparison.OrdinalIgnoreCase)) name = name.Substring(7);
            else if (name.Contains(':')) return null;
            if (name.Length == 0 || Regex.IsMatch(name, "^(_|PSItem|PSScriptRoot|PSCommandPath|true|false|null|TestDrive|args|input|this|Error|LASTEXITCODE|PSVersionTable|PSBoundParameters|Matches|ExecutionContext|Host|PID|PSHOME|HOME|\\?|\\^|\\$)$", RegexOptions.IgnoreCase))
                return null;
            return name;
        }

        /// <summary>Positional arguments of a Join-Path call: arguments that start after whitespace, less the values of named parameters (all but -Resolve take one).</summary>
        private static int CountPositional(PsInvocation call)
        {
            int starts = call.Arguments.Count(a => a.SpaceBefore && a.Depth == call.Command.Depth && a.Kind != TokenKind.Close);
            int namedValues = call.Parameters.Count(p => !PowerShellScanner.ParameterName(p).Equals("Resolve", StringComparison.OrdinalIgnoreCase) && !p.Text.Contains(':'));
            return starts - namedValues;
        }

        private IEnumerable<(string Code, int Line, string Where)> CodeOf(string source)
        {
            if (source == "(MAML help examples)")
            {
                foreach (var command in _module.LoadHelp().Root!.Elements(Command + "command"))
                {
                    var name = command.Element(Command + "details")!.Element(Command + "name")!.Value;
                    foreach (var code in command.Descendants(Dev + "code"))
                        yield return (code.Value, 1, $"docs/cmdlets/{name}.md (example)");
                }
                yield break;
            }
            var text = File.ReadAllText(Path.Combine(_root, source));
            if (source.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (code, line) in PowerShellScanner.MarkdownCode(text, span => Regex.IsMatch(span, @"\b[A-Z][a-z]+-Nmc\w+")))
                    yield return (code, line, source);
            }
            else if (source.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            {
                // about_ topics: the command lines are the ones indented as code (8 spaces).
                var lines = text.Replace("\r\n", "\n").Split('\n');
                for (int i = 0; i < lines.Length; i++)
                    if (lines[i].StartsWith("        ", StringComparison.Ordinal)) yield return (lines[i], i + 1, source);
            }
            else yield return (text, 1, source);
        }

        private static IEnumerable<string> PesterFiles(string root)
        {
            var folder = Path.Combine(root, "tests", "pester");
            return Directory.Exists(folder) ? Directory.GetFiles(folder, "*.ps1").OrderBy(f => f, StringComparer.Ordinal) : Enumerable.Empty<string>();
        }

        private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
    }
}
