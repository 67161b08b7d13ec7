using System;
using System.IO;
using System.Linq;

namespace SecureNmc.Module.Tests
{
    /// <summary>The manifest and the folder `dotnet build` lays out (out/SecureNmc) make an importable module.</summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class ManifestTests
    {
        private readonly BuiltModule _module;

        public ManifestTests(BuiltModule module) => _module = module;

        [Fact]
        public void Manifest_exports_exactly_the_cmdlets_the_assembly_defines()
        {
            var exported = _module.Manifest.List("CmdletsToExport");
            Assert.NotNull(exported);
            Assert.DoesNotContain(exported!, e => e.Contains('*'));
            Assert.Equal(
                _module.Cmdlets.Select(c => c.Name).OrderBy(n => n, StringComparer.OrdinalIgnoreCase),
                exported!.OrderBy(n => n, StringComparer.OrdinalIgnoreCase));
        }

        [Fact]
        public void Manifest_declares_root_module_editions_version_and_no_functions()
        {
            var m = _module.Manifest;
            Assert.Equal(BuiltModule.CmdletAssemblyName, m.Value("RootModule"));
            Assert.Equal(new[] { "Core", "Desktop" }, m.List("CompatiblePSEditions")!.OrderBy(e => e));
            Assert.Equal("5.1", m.Value("PowerShellVersion"));
            Assert.Empty(m.List("FunctionsToExport")!);
            Assert.True(Guid.TryParse(m.Value("GUID"), out _), "GUID must be a GUID.");
        }

        [Fact]
        public void Manifest_version_matches_the_cmdlet_assembly_version()
        {
            var version = Version.Parse(_module.Manifest.Value("ModuleVersion")!);
            var assembly = _module.CmdletAssembly.GetName().Version!;
            Assert.Equal((version.Major, version.Minor, version.Build), (assembly.Major, assembly.Minor, assembly.Build));
        }

        [Fact]
        public void Every_file_the_manifest_names_is_in_the_module_folder()
        {
            var formats = _module.Manifest.List("FormatsToProcess");
            Assert.NotNull(formats);
            Assert.Contains("SecureNmc.format.ps1xml", formats!);
            foreach (var file in formats!.Concat(_module.Manifest.List("TypesToProcess") ?? new string[0]).Append(_module.Manifest.Value("RootModule")!))
                Assert.True(File.Exists(_module.PathOf(file)), $"{file} is named by the manifest but missing from {_module.ModuleDirectory}.");
        }

        [Theory]
        [InlineData("SecureNmc.psd1")]
        [InlineData("SecureNmc.PowerShell.dll")]
        [InlineData("SecureNmc.Core.dll")]
        [InlineData("SecureNmc.Simulator.dll")]
        [InlineData("CsvHelper.dll")]
        [InlineData("BouncyCastle.Cryptography.dll")]
        [InlineData("Renci.SshNet.dll")]
        [InlineData("Microsoft.Extensions.Logging.Abstractions.dll")]
        [InlineData("SecureNmc.format.ps1xml")]
        [InlineData("SecureNmc.types.ps1xml")]
        [InlineData("en-US/SecureNmc.PowerShell.dll-Help.xml")]
        [InlineData("en-US/about_SecureNmc.help.txt")]
        public void Module_folder_holds(string file) =>
            Assert.True(File.Exists(_module.PathOf(file)), $"{file} is missing from {_module.ModuleDirectory}.");

        [Fact]
        public void Every_assembly_in_the_module_finds_its_references_in_the_module_or_in_netstandard()
        {
            // A missing dependency only shows on Import-Module on a clean machine: catch it here.
            // netstandard2.0 assemblies reference netstandard plus their packages, nothing else.
            var shipped = Directory.GetFiles(_module.ModuleDirectory, "*.dll").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var file in shipped)
            {
                var assembly = _module.LoadModuleAssembly(file!);
                foreach (var reference in assembly.GetReferencedAssemblies())
                {
                    var provided = reference.Name is "netstandard" or "mscorlib" or "System.Management.Automation" || shipped.Contains(reference.Name!);
                    Assert.True(provided, $"{file}.dll references {reference.Name}, which is not in {_module.ModuleDirectory}.");
                }
            }
        }

        [Fact]
        public void PowerShell_itself_is_not_shipped_in_the_module_folder()
        {
            // A copy of the reference assembly next to the module breaks Import-Module.
            Assert.False(File.Exists(_module.PathOf("System.Management.Automation.dll")));
        }

        [Fact]
        public void Cmdlet_and_core_assemblies_do_not_reference_json_libraries_PowerShell_ships()
        {
            foreach (var assembly in new[] { _module.CmdletAssembly, LoadShipped("SecureNmc.Core") })
            {
                var names = assembly.GetReferencedAssemblies().Select(r => r.Name).ToList();
                Assert.DoesNotContain("System.Text.Json", names);
                Assert.DoesNotContain("Newtonsoft.Json", names);
            }
        }

        private System.Reflection.Assembly LoadShipped(string name) => _module.LoadModuleAssembly(name);
    }
}
