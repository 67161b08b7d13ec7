using System;
using System.Collections.Generic;
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
            Assert.Equal(new[] { "Name", "Host", "Model", "App", "AppVersion", "Target", "Status" }, labels);
            // Status is the types file's DeviceStatusLabel, which prints as the SNS wording.
            Assert.Equal("Status", table.Descendants("TableColumnItem").Last().Element("PropertyName")!.Value);
        }

        [Fact]
        public void Every_column_label_is_a_property_of_the_objects_it_shows()
        {
            // Select-Object, Sort-Object, Where-Object and Export-Csv take what the header says (issue 16).
            foreach (var view in _format.Descendants("View"))
            {
                var typeName = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value.Trim();
                var labels = view.Descendants("TableColumnHeader").Select(h => h.Element("Label")?.Value.Trim())
                    .Concat(view.Descendants("ListItem").Select(i => i.Element("Label")?.Value.Trim() ?? i.Element("PropertyName")?.Value.Trim()))
                    .Where(l => l != null);
                foreach (var label in labels)
                    Assert.True(HasProperty(typeName, label!), $"view {view.Element("Name")!.Value}: the column '{label}' is not a property of {typeName}; name the property or add it in SecureNmc.types.ps1xml.");
            }
        }

        [Fact]
        public void Table_views_keep_one_line_per_object()
        {
            foreach (var view in _format.Descendants("View").Where(v => v.Element("TableControl") != null))
                Assert.False(view.Descendants("Wrap").Any(), $"view {view.Element("Name")!.Value} wraps values onto more lines; size the key columns instead.");
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
                    Assert.True(HasProperty(typeName, property), $"view {view.Element("Name")!.Value}: {typeName} has no property {property}.");
            }
        }

        /// <summary>A public property of the type, a member SecureNmc.types.ps1xml adds, or a note property the cmdlet adds (Get-NmcDevice's firmware markers).</summary>
        private bool HasProperty(string typeName, string name)
        {
            var type = FindType(typeName);
            if (type?.GetProperty(name) != null) return true;
            if (TypesFileMembers(typeName).Contains(name, StringComparer.OrdinalIgnoreCase)) return true;
            if (typeName == "SecureNmc.Core.Devices.NmcDevice" && name is "IsNewerFirmwareAvailable" or "TargetApplication" or "AvailableFirmwareVersion") return true;
            // PowerShell's own types file gives every job a State (JobStateInfo.State as text).
            return name == "State" && DerivesFrom(type, "System.Management.Automation.Job");
        }

        private static bool DerivesFrom(Type? type, string baseName)
        {
            for (var t = type; t != null; t = t.BaseType) if (t.FullName == baseName) return true;
            return false;
        }

        private IEnumerable<string> TypesFileMembers(string typeName) =>
            _module.LoadTypes().Root!.Elements("Type").Where(t => t.Element("Name")!.Value.Trim() == typeName)
                .SelectMany(t => t.Element("Members")!.Elements()).Select(m => m.Element("Name")!.Value.Trim());

        private Type? FindType(string fullName) =>
            new[] { "SecureNmc.PowerShell", "SecureNmc.Core", "SecureNmc.Simulator" }
                .Select(n => _module.LoadModuleAssembly(n).GetType(fullName))
                .FirstOrDefault(t => t != null);
    }
}
