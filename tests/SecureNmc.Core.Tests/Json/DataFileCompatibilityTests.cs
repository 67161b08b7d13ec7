using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Json;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Tests.Inventory;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Tests.Json
{
    /// <summary>
    /// Files written before Storage and Licensing shared one JSON reader and writer (Storage had its
    /// own SimpleJsonReader/SimpleJsonWriter): the text below is byte for byte what that writer produced.
    /// They must still load, and a rewrite must give the same bytes (only an empty list or object
    /// is now written "[]" / "{}" instead of across two lines).
    /// </summary>
    public sealed class DataFileCompatibilityTests : IDisposable
    {
        private const string OldInventory =
            "{\n" +
            "  \"format\": \"SecureNmc.Inventory\",\n" +
            "  \"version\": 1,\n" +
            "  \"savedUtc\": \"2026-01-21T15:08:12.1234567+00:00\",\n" +
            "  \"devices\": [\n" +
            "    { \"id\": \"7d1c8f5e-2a7b-4a7e-9a55-0d6d4f1c2b3a\", \"host\": \"ups1.example.com\", \"protocol\": \"Ftp\", \"port\": 5021, " +
            "\"name\": \"UPS \\\"one\\\" \\\\ rack\\t4\", \"userName\": \"apc\", \"protectedPassword\": \"AQIDBA==\", \"allowLegacySsh\": true, " +
            "\"pinnedHostKeyFingerprint\": \"SHA256:abc\", \"model\": \"AP9641\", \"serialNumber\": \"ZA1234567890\", \"macAddress\": \"28:29:86:00:00:01\", " +
            "\"hardwareRevision\": \"05\", \"applicationType\": \"SUCAN\", \"aosVersion\": \"2.5.0.8\", \"applicationVersion\": \"2.5.0.6\", " +
            "\"bootloaderVersion\": \"1.5.1.1\", \"systemName\": \"Größe ü € 漢字\", \"systemContact\": \"ops@example.com\", " +
            "\"systemLocation\": \"DC1\\u2028Row 3\\u0001\", \"lastQueried\": \"2026-01-21T16:08:12.0000000+01:00\", \"status\": \"QueuedForUpdate\", " +
            "\"statusDetail\": \"line1\\nline2\", \"added\": \"2025-12-01T08:00:00.0000000+00:00\" },\n" +
            "    { \"id\": \"0b6f2a44-1c1d-4f7e-8e0a-3f5d2c1b0a99\", \"host\": \"10.0.0.5\", \"protocol\": \"Scp\", \"port\": 22, \"status\": \"Unknown\", " +
            "\"added\": \"2025-12-02T09:30:00.0000000+00:00\" }\n" +
            "  ]\n" +
            "}\n";

        private readonly TempDataFolder _temp = new TempDataFolder();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public void An_inventory_written_by_the_old_writer_loads_and_rewrites_to_the_same_bytes()
        {
            var devices = InventoryFileFormat.Deserialize(Encoding.UTF8.GetBytes(OldInventory));

            Assert.Equal(2, devices.Count);
            var first = devices[0];
            Assert.Equal("UPS \"one\" \\ rack\t4", first.Name);
            Assert.Equal("DC1\u2028Row 3\u0001", first.SystemLocation);
            Assert.Equal(TransferProtocol.Ftp, first.Protocol);
            Assert.Equal(5021, first.Port);
            Assert.Equal(DeviceStatus.QueuedForUpdate, first.Status);
            Assert.Equal(new DateTimeOffset(2026, 1, 21, 16, 8, 12, TimeSpan.FromHours(1)), first.LastQueried);
            Assert.Equal("10.0.0.5", devices[1].Host);

            var rewritten = Encoding.UTF8.GetString(InventoryFileFormat.Serialize(devices));
            Assert.Equal(WithoutSaveTime(OldInventory), WithoutSaveTime(rewritten));
        }

        [Fact]
        public void A_site_is_saved_and_read_back_and_a_file_without_sites_has_none()
        {
            var devices = InventoryFileFormat.Deserialize(Encoding.UTF8.GetBytes(OldInventory));
            Assert.All(devices, d => Assert.Null(d.Site));
            devices[0].Site = "Berlin \"DC1\"";
            var text = Encoding.UTF8.GetString(InventoryFileFormat.Serialize(devices));
            Assert.Contains("\"site\": \"Berlin \\\"DC1\\\"\"", text);
            var reread = InventoryFileFormat.Deserialize(Encoding.UTF8.GetBytes(text));
            Assert.Equal("Berlin \"DC1\"", reread[0].Site);
            Assert.Null(reread[1].Site);
        }

        [Fact]
        public void An_empty_inventory_in_the_old_two_line_form_loads()
        {
            const string oldEmpty = "{\n  \"format\": \"SecureNmc.Inventory\",\n  \"version\": 1,\n  \"savedUtc\": \"2026-01-21T15:08:12.1234567+00:00\",\n  \"devices\": [\n  ]\n}\n";
            Assert.Empty(InventoryFileFormat.Deserialize(Encoding.UTF8.GetBytes(oldEmpty)));
            Assert.Contains("\"devices\": []\n", Encoding.UTF8.GetString(InventoryFileFormat.Serialize(new NmcDevice[0])));
        }

        [Fact]
        public void Settings_written_by_the_old_writer_load_and_rewrite_to_the_same_bytes()
        {
            const string old =
                "{\n" +
                "  \"format\": \"SecureNmc.Settings\",\n" +
                "  \"version\": 1,\n" +
                "  \"settings\": {\n" +
                "    \"ConcurrentRequests\": 4,\n" +
                "    \"BackupBeforeUpdate\": false,\n" +
                "    \"FirmwareCatalogUrl\": \"https://example.com/catalog\",\n" +
                "    \"Future\": {\n" +
                "      \"list\": [\n" +
                "        1,\n" +
                "        \"2.5\",\n" +
                "        true,\n" +
                "        null\n" +
                "      ]\n" +
                "    }\n" +
                "  }\n" +
                "}\n";
            Directory.CreateDirectory(_temp.Path);
            File.WriteAllText(_temp.Folder.SettingsFile, old);

            var loaded = new SettingsStore(_temp.Folder).Load();

            Assert.Equal(4, loaded.ConcurrentRequests);
            Assert.False(loaded.BackupBeforeUpdate);
            Assert.Equal(old, Encoding.UTF8.GetString(SettingsStore.Serialize(loaded)));
        }

        [Fact]
        public void Settings_with_an_empty_settings_object_in_the_old_two_line_form_load()
        {
            Directory.CreateDirectory(_temp.Path);
            File.WriteAllText(_temp.Folder.SettingsFile, "{\n  \"format\": \"SecureNmc.Settings\",\n  \"version\": 1,\n  \"settings\": {\n  }\n}\n");
            var loaded = new SettingsStore(_temp.Folder).Load();
            Assert.All(loaded.Describe(), i => Assert.True(i.IsDefault));
        }

        [Fact]
        public void A_settings_entry_from_a_later_version_may_nest_deeper_than_a_network_body()
        {
            // Data files keep the depth their own reader allowed (64); network bodies stop at 32.
            var deep = string.Concat(Enumerable.Repeat("[", 50)) + string.Concat(Enumerable.Repeat("]", 50));
            Directory.CreateDirectory(_temp.Path);
            File.WriteAllText(_temp.Folder.SettingsFile, "{\"format\":\"SecureNmc.Settings\",\"version\":1,\"settings\":{\"Future\":" + deep + "}}");
            Assert.Equal(10, new SettingsStore(_temp.Folder).Load().ConcurrentRequests);
            Assert.Throws<JsonFormatException>(() => JsonReader.Parse(deep));
        }

        /// <summary>The tree writer's output, as the licensing files and messages have always had it.</summary>
        [Fact]
        public void The_tree_writer_keeps_the_licensing_layout()
        {
            var doc = new JsonObject().Set("format", "SecureNmc.Licences").Set("n", 42).Set("ok", true).Set("none", (string?)null)
                .Set("records", new JsonArray(new JsonValue[] { new JsonObject().Set("a", "x"), new JsonNumber(2) }))
                .Set("empty", new JsonArray()).Set("nested", new JsonObject());

            Assert.Equal(
                "{\n  \"format\": \"SecureNmc.Licences\",\n  \"n\": 42,\n  \"ok\": true,\n  \"none\": null,\n" +
                "  \"records\": [\n    {\n      \"a\": \"x\"\n    },\n    2\n  ],\n  \"empty\": [],\n  \"nested\": {}\n}\n",
                JsonWriter.Write(doc, indented: true));
            Assert.Equal(
                "{\"format\":\"SecureNmc.Licences\",\"n\":42,\"ok\":true,\"none\":null,\"records\":[{\"a\":\"x\"},2],\"empty\":[],\"nested\":{}}",
                JsonWriter.Write(doc));
        }

        private static string WithoutSaveTime(string text) => Regex.Replace(text, "\"savedUtc\": \"[^\"]*\"", "\"savedUtc\": \"-\"");
    }
}
