using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Inventory
{
    /// <summary>
    /// inventory.json: {"format": "SecureNmc.Inventory", "version": 1, "devices": [ {...}, ... ]}.
    /// Property names are camelCase NmcDevice members; absent or null properties take their default.
    /// Unknown properties are ignored, so a later version may add fields; a higher "version" is refused.
    /// </summary>
    public static class InventoryFileFormat
    {
        public const string FormatName = "SecureNmc.Inventory";
        public const int CurrentVersion = 1;

        public static byte[] Serialize(IReadOnlyCollection<NmcDevice> devices)
        {
            var json = new SimpleJsonWriter(256 + devices.Count * 512);
            json.BeginObject();
            json.Property("format", FormatName);
            json.Property("version", CurrentVersion);
            json.Property("savedUtc", DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture));
            json.PropertyName("devices");
            json.BeginArray();
            foreach (var d in devices) WriteDevice(json, d);
            json.EndArray();
            json.EndObject();
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(json.ToString() + "\n");
        }

        /// <summary>Parses the file's bytes; throws FormatException with the exact problem.</summary>
        public static List<NmcDevice> Deserialize(byte[] content)
        {
            string text;
            try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content); }
            catch (DecoderFallbackException) { throw new FormatException("the file is not UTF-8 text"); }
            if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
            if (text.Trim().Length == 0) throw new FormatException("the file is empty");

            var root = new JsonFields(SimpleJsonReader.Parse(text), "the file");
            var format = root.String("format");
            if (format != FormatName) throw new FormatException($"it is not a SecureNmc inventory (\"format\" is {(format == null ? "missing" : "\"" + format + "\"")})");
            var version = root.Int64("version") ?? throw new FormatException("it has no \"version\"");
            if (version > CurrentVersion)
                throw new FormatException($"it was written by a newer SecureNmc (format version {version}; this version reads up to {CurrentVersion}). Update the SecureNmc module");
            if (version < 1) throw new FormatException($"its format version {version} is not valid");

            var items = root.Array("devices");
            var devices = new List<NmcDevice>(items.Count);
            for (int i = 0; i < items.Count; i++) devices.Add(ReadDevice(new JsonFields(items[i], $"device #{i + 1}")));
            return devices;
        }

        private static void WriteDevice(SimpleJsonWriter json, NmcDevice d)
        {
            json.BeginObject();
            json.Property("id", d.Id.ToString("D"));
            json.Property("host", d.Host);
            json.Property("protocol", d.Protocol.ToString());
            json.Property("port", d.Port);
            json.OptionalProperty("name", string.IsNullOrEmpty(d.Name) ? null : d.Name);
            json.OptionalProperty("userName", d.UserName);
            json.OptionalProperty("protectedPassword", d.ProtectedPassword);
            if (d.AllowLegacySsh) json.Property("allowLegacySsh", true);
            json.OptionalProperty("pinnedHostKeyFingerprint", d.PinnedHostKeyFingerprint);
            json.OptionalProperty("model", d.Model);
            json.OptionalProperty("serialNumber", d.SerialNumber);
            json.OptionalProperty("macAddress", d.MacAddress);
            json.OptionalProperty("hardwareRevision", d.HardwareRevision);
            json.OptionalProperty("applicationType", d.ApplicationType?.ToString());
            json.OptionalProperty("aosVersion", d.AosVersion);
            json.OptionalProperty("applicationVersion", d.ApplicationVersion);
            json.OptionalProperty("bootloaderVersion", d.BootloaderVersion);
            json.OptionalProperty("systemName", d.SystemName);
            json.OptionalProperty("systemContact", d.SystemContact);
            json.OptionalProperty("systemLocation", d.SystemLocation);
            json.OptionalProperty("lastQueried", d.LastQueried?.ToString("o", CultureInfo.InvariantCulture));
            json.Property("status", d.Status.ToString());
            json.OptionalProperty("statusDetail", d.StatusDetail);
            json.Property("added", d.Added.ToString("o", CultureInfo.InvariantCulture));
            json.EndObject();
        }

        private static NmcDevice ReadDevice(JsonFields f)
        {
            var d = new NmcDevice
            {
                Id = f.Guid("id") ?? throw new FormatException("a device has no \"id\""),
                Host = f.RequiredString("host"),
                Protocol = f.Enum<TransferProtocol>("protocol") ?? TransferProtocol.Scp,
                Name = f.String("name") ?? "",
                UserName = f.String("userName"),
                ProtectedPassword = f.String("protectedPassword"),
                AllowLegacySsh = f.Boolean("allowLegacySsh") ?? false,
                PinnedHostKeyFingerprint = f.String("pinnedHostKeyFingerprint"),
                Model = f.String("model"),
                SerialNumber = f.String("serialNumber"),
                MacAddress = f.String("macAddress"),
                HardwareRevision = f.String("hardwareRevision"),
                ApplicationType = f.Enum<ApplicationType>("applicationType"),
                AosVersion = f.String("aosVersion"),
                ApplicationVersion = f.String("applicationVersion"),
                BootloaderVersion = f.String("bootloaderVersion"),
                SystemName = f.String("systemName"),
                SystemContact = f.String("systemContact"),
                SystemLocation = f.String("systemLocation"),
                LastQueried = f.Date("lastQueried"),
                Status = f.Enum<DeviceStatus>("status") ?? DeviceStatus.Unknown,
                StatusDetail = f.String("statusDetail"),
            };
            d.Port = (int)(f.Int64("port") ?? DevicePort.DefaultFor(d.Protocol));
            d.Added = f.Date("added") ?? DateTimeOffset.MinValue;
            return d;
        }
    }
}
