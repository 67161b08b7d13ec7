using System;
using System.Linq;
using System.Xml.Linq;

namespace SecureNmc.Module.Tests
{
    /// <summary>Every object the cmdlets emit reads well at the console: it has a view in the format file.</summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class FormatTests
    {
        private readonly BuiltModule _module;
        private readonly XDocument _format;

        public FormatTests(BuiltModule module)
        {
            _module = module;
            _format = module.LoadFormat();
        }

        [Fact]
        public void Every_SecureNmc_output_type_has_a_view()
        {
            var viewed = _format.Descendants("ViewSelectedBy").Elements("TypeName").Select(t => t.Value.Trim()).ToHashSet();
            foreach (var cmdlet in _module.Cmdlets)
            foreach (var type in cmdlet.OutputTypes.Where(t => t.StartsWith("SecureNmc.", StringComparison.Ordinal)))
                Assert.True(viewed.Contains(type), $"{cmdlet.Name} emits {type}, which has no view in SecureNmc.format.ps1xml.");
        }

        [Fact]
        public void Device_table_shows_the_fleet_columns_and_the_status_in_the_SNS_wording()
        {
            var table = _format.Descendants("View")
                .Single(v => v.Element("TableControl") != null && v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == "SecureNmc.Core.Devices.NmcDevice");
            var labels = table.Descendants("TableColumnHeader").Select(h => h.Element("Label")!.Value).ToList();
            Assert.Equal(new[] { "Name", "Host", "Protocol", "Model", "App", "AOS", "AppVersion", "Target", "Status" }, labels);
            var status = table.Descendants("TableColumnItem").Last().Element("ScriptBlock")!.Value;
            Assert.Contains("DeviceStatusText]::ToText", status);
        }

        [Fact]
        public void Every_property_a_view_names_exists_on_its_type()
        {
            foreach (var view in _format.Descendants("View"))
            {
                var typeName = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value.Trim();
                var type = FindType(typeName);
                Assert.True(type != null, $"view {view.Element("Name")!.Value} selects {typeName}, which no module assembly defines.");
                foreach (var property in view.Descendants("PropertyName").Select(p => p.Value.Trim()))
                    Assert.True(type!.GetProperty(property) != null, $"view {view.Element("Name")!.Value}: {typeName} has no property {property}.");
            }
        }

        private Type? FindType(string fullName) =>
            new[] { "SecureNmc.PowerShell", "SecureNmc.Core", "SecureNmc.Simulator" }
                .Select(n => _module.LoadModuleAssembly(n).GetType(fullName))
                .FirstOrDefault(t => t != null);
    }
}
