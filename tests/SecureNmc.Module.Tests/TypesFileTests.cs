using System;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;

namespace SecureNmc.Module.Tests
{
    /// <summary>
    /// SecureNmc.types.ps1xml (Status in the SNS wording, a property behind every column label) is
    /// loaded by the manifest and only names types, methods and properties the module has: a wrong
    /// name would only show as an Import-Module error or an empty column.
    /// </summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class TypesFileTests
    {
        private readonly BuiltModule _module;
        private readonly XDocument _types;

        public TypesFileTests(BuiltModule module)
        {
            _module = module;
            _types = module.LoadTypes();
        }

        [Fact]
        public void Manifest_loads_the_types_file()
        {
            var types = _module.Manifest.List("TypesToProcess");
            Assert.NotNull(types);
            Assert.Equal(new[] { "SecureNmc.types.ps1xml" }, types!);
        }

        [Fact]
        public void Every_type_and_member_the_types_file_names_exists()
        {
            foreach (var entry in _types.Root!.Elements("Type"))
            {
                var typeName = entry.Element("Name")!.Value.Trim();
                var type = FindType(typeName);
                Assert.True(type != null, $"SecureNmc.types.ps1xml extends {typeName}, which no module assembly defines.");
                foreach (var alias in entry.Descendants("AliasProperty"))
                {
                    var target = alias.Element("ReferencedMemberName")!.Value.Trim();
                    Assert.True(type!.GetProperty(target) != null, $"{typeName}.{alias.Element("Name")!.Value}: {typeName} has no property {target}.");
                }
                foreach (var code in entry.Descendants("GetCodeReference"))
                {
                    var getterType = FindType(code.Element("TypeName")!.Value.Trim());
                    var methodName = code.Element("MethodName")!.Value.Trim();
                    var method = getterType?.GetMethod(methodName, BindingFlags.Public | BindingFlags.Static);
                    Assert.True(method != null, $"{typeName}: code property getter {code.Element("TypeName")!.Value}.{methodName} does not exist (public static).");
                    var parameters = method!.GetParameters();
                    Assert.True(parameters.Length == 1 && parameters[0].ParameterType.FullName == "System.Management.Automation.PSObject",
                        $"{methodName} must take one PSObject, the form PowerShell calls a CodeProperty getter with.");
                }
            }
        }

        [Fact]
        public void Every_device_status_an_output_object_carries_is_shown_in_the_SNS_wording()
        {
            // Status of these types must be the wording-aware DeviceStatusLabel in PowerShell (issue 16 item 3).
            foreach (var typeName in new[] { "SecureNmc.Core.Devices.NmcDevice", "SecureNmc.Core.Updates.CardUpdateResult", "SecureNmc.Core.Updates.CardJournalState", "SecureNmc.Core.Updates.SavedFirmware" })
            {
                var type = _types.Root!.Elements("Type").SingleOrDefault(t => t.Element("Name")!.Value.Trim() == typeName);
                Assert.True(type != null, $"SecureNmc.types.ps1xml does not extend {typeName}.");
                var members = type!.Descendants("CodeProperty").Select(c => c.Element("Name")!.Value.Trim()).ToList();
                Assert.Contains("Status", members);
                Assert.Contains("StatusCode", members);
            }
        }

        private Type? FindType(string fullName) =>
            new[] { "SecureNmc.PowerShell", "SecureNmc.Core", "SecureNmc.Simulator" }
                .Select(n => _module.LoadModuleAssembly(n).GetType(fullName))
                .FirstOrDefault(t => t != null);
    }
}
