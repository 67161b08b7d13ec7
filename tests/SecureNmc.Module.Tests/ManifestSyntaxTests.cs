using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SecureNmc.Module.Tests.PowerShellData;

namespace SecureNmc.Module.Tests
{
    /// <summary>
    /// SecureNmc.psd1 is a data file Import-Module accepts on Windows PowerShell 5.1 and PowerShell 7:
    /// constant syntax only, only keys a module manifest may have, values of the right shape.
    /// </summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class ManifestSyntaxTests
    {
        /// <summary>Every key Windows PowerShell 5.1 accepts in a module manifest (PowerShell 7 adds none we use); any other key makes Import-Module fail.</summary>
        private static readonly HashSet<string> ManifestKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "RootModule", "ModuleToProcess", "ModuleVersion", "GUID", "Author", "CompanyName", "Copyright", "Description",
            "PowerShellVersion", "PowerShellHostName", "PowerShellHostVersion", "DotNetFrameworkVersion", "CLRVersion",
            "ProcessorArchitecture", "RequiredModules", "RequiredAssemblies", "ScriptsToProcess", "TypesToProcess",
            "FormatsToProcess", "NestedModules", "FunctionsToExport", "CmdletsToExport", "VariablesToExport", "AliasesToExport",
            "DscResourcesToExport", "ModuleList", "FileList", "PrivateData", "HelpInfoURI", "DefaultCommandPrefix",
            "CompatiblePSEditions",
        };

        /// <summary>The PSData keys PowerShellGet reads when the module is published.</summary>
        private static readonly HashSet<string> PSDataKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Tags", "LicenseUri", "ProjectUri", "IconUri", "ReleaseNotes", "Prerelease", "RequireLicenseAcceptance", "ExternalModuleDependencies",
        };

        private readonly BuiltModule _module;

        public ManifestSyntaxTests(BuiltModule module) => _module = module;

        [Fact]
        public void Repository_and_built_manifest_parse_as_a_constant_hashtable_and_are_identical()
        {
            var source = Path.Combine(RepositoryRoot(), "SecureNmc.psd1");
            var text = File.ReadAllText(source);
            Psd1Parser.ParseHashtable(text);
            Assert.Equal(text, File.ReadAllText(_module.PathOf("SecureNmc.psd1")));
        }

        [Fact]
        public void Manifest_uses_only_keys_Import_Module_accepts()
        {
            foreach (var key in _module.Manifest.Entries.Keys)
                Assert.True(ManifestKeys.Contains(key), $"SecureNmc.psd1: '{key}' is not a module manifest key; Import-Module refuses the manifest.");
            var privateData = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(_module.Manifest.Entries["PrivateData"]);
            var psData = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(privateData["PSData"]);
            foreach (var key in psData.Keys)
                Assert.True(PSDataKeys.Contains(key), $"SecureNmc.psd1: PrivateData.PSData.{key} is not a key PowerShellGet knows.");
            // The gallery refuses tags with spaces.
            foreach (var tag in (object?[])psData["Tags"]!)
                Assert.DoesNotContain(' ', (string)tag!);
        }

        [Fact]
        public void Manifest_values_have_the_shape_PowerShell_converts()
        {
            var m = _module.Manifest;
            Assert.True(Version.TryParse(m.Value("ModuleVersion"), out _), "ModuleVersion must parse as System.Version.");
            Assert.True(Version.TryParse(m.Value("PowerShellVersion"), out _), "PowerShellVersion must parse as System.Version.");
            Assert.True(Guid.TryParse(m.Value("GUID"), out var guid) && guid != Guid.Empty, "GUID must be a non-empty GUID.");
            if (m.Has("DotNetFrameworkVersion")) Assert.True(Version.TryParse(m.Value("DotNetFrameworkVersion"), out _));
            foreach (var key in new[] { "CmdletsToExport", "FunctionsToExport", "VariablesToExport", "AliasesToExport", "FormatsToProcess", "CompatiblePSEditions" })
                Assert.IsType<object?[]>(m.Entries[key]);
            foreach (var name in m.List("CmdletsToExport")!)
                Assert.Matches("^[A-Z][a-z]+-Nmc[A-Za-z0-9]+$", name);
            // A binary module built for netstandard2.0 loads its own dependencies (ModuleAssemblyResolver): nothing
            // is loaded through the manifest, so no RequiredAssemblies/NestedModules to get out of step.
            Assert.False(m.Has("RequiredAssemblies") || m.Has("NestedModules") || m.Has("ModuleToProcess"));
            foreach (var file in m.List("FileList") ?? Array.Empty<string>())
                Assert.True(File.Exists(_module.PathOf(file)), $"FileList names {file}, which is not in the module folder.");
            foreach (var file in m.List("TypesToProcess") ?? Array.Empty<string>())
                Assert.True(File.Exists(_module.PathOf(file)), $"TypesToProcess names {file}, which is not in the module folder.");
        }

        [Theory]
        [InlineData("@{ A = 'x' }")]
        [InlineData("# comment\n@{\n  A = 'it''s' # trailing\n  B = @('a', 'b')\n  C = @(\n    'a'\n    'b'\n  )\n  D = @{ E = @{ F = $true; G = 1.5 } }\n  'H I' = \"plain\"\n  J = 'a', 'b'\n  K = @()\n  <# block\n  comment #>\n  L = -1\n}\n")]
        public void Parser_accepts_data_file_syntax(string text) => Psd1Parser.ParseHashtable(text);

        [Fact]
        public void Parser_reads_values_with_their_types()
        {
            var t = Psd1Parser.ParseHashtable("@{ S = 'it''s'; N = 5; B = $false; L = @('x'\n'y'); H = @{ Z = $null } }");
            Assert.Equal("it's", t["s"]);
            Assert.Equal(5L, t["N"]);
            Assert.Equal(false, t["B"]);
            Assert.Equal(new object?[] { "x", "y" }, (object?[])t["L"]!);
            Assert.Null(((IReadOnlyDictionary<string, object?>)t["H"]!)["Z"]);
        }

        [Theory]
        [InlineData("@{ A = 'x' ", "missing '}'")]
        [InlineData("@{ A = 'x }", "closing single quote")]
        [InlineData("@{ A = @('x', 'y' }", "missing ',' or new line")]
        [InlineData("@{ A = @('x',) }", "item was expected after ','")]
        [InlineData("@{ A = SecureNmc.dll }", "not a constant value")]
        [InlineData("@{ A = $env:USERNAME }", "not allowed in a data file")]
        [InlineData("@{ A = \"$(Get-Date)\" }", "may not expand")]
        [InlineData("@{ A = 'x'\n a = 'y' }", "duplicate key 'a'")]
        [InlineData("@{ A 'x' }", "missing '='")]
        [InlineData("@{ A = 'x' 'y' }", "unexpected")]
        [InlineData("@{ A = 'x' }\n'extra'", "after the closing")]
        [InlineData("<# never closed\n@{ A = 'x' }", "never closed")]
        [InlineData("'x'", "single hashtable literal")]
        public void Parser_rejects_what_Import_Module_refuses(string text, string expected)
        {
            var ex = Assert.Throws<Psd1SyntaxException>(() => Psd1Parser.ParseHashtable(text));
            Assert.Contains(expected, ex.Message);
        }

        [Fact]
        public void Parser_reports_the_line_of_the_problem()
        {
            var ex = Assert.Throws<Psd1SyntaxException>(() => Psd1Parser.ParseHashtable("@{\n  A = 'x'\n  B = oops\n}"));
            Assert.Equal(3, ex.Line);
        }

        internal static string RepositoryRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SecureNmc.PowerShell.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root (SecureNmc.PowerShell.sln) not found above " + AppContext.BaseDirectory);
        }
    }
}
