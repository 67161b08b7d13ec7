using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Json;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Inventory
{
    /// <summary>
    /// inventory.json: {"format": "SecureNmc.Inventory", "version": 1, "devices": [ {...}, ... ]}.
    /// Property names are camelCase NmcDevice members; absent or null properties take their default.
    /// Unknown properties are ignored, so a later version may add fields; a higher "version" is refused.
    /// "handedOverTo"/"handedOverAt" (a card in flight at a worker) were added within version 1: files
    /// without them read as cards not in flight, and an older module reading them ignores them.
    /// </summary>
    public static class InventoryFileFormat
    {
        public const string FormatName = "SecureNmc.Inventory";
        public const int CurrentVersion = 1;

        public static byte[] Serialize(IReadOnlyCollection<NmcDevice> devices)
        {
            var json = new JsonWriter(indented: true, capacity: 256 + devices.Count * 512);
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

        /// <summary>Parses the file's bytes; throws FormatException with the exact problem (and line/column).</summary>
        public static List<NmcDevice> Deserialize(byte[] content)
        {
            string text;
            try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content); }
            catch (DecoderFallbackException) { throw new FormatException("the file is not UTF-8 text"); }
            if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
            if (text.Trim().Length == 0) throw new FormatException("the file is empty");

            var json = new JsonCursor(text, JsonLimits.DataFiles);
            string? format = null;
            long? version = null;
            List<NmcDevice>? devices = null;
            json.ReadObject("the file", name =>
            {
                switch (name)
                {
                    case "format": format = json.String(name, "the file"); break;
                    case "version": version = json.Int64(name, "the file"); break;
                    case "devices":
                        // A file from a newer version may hold devices this one cannot read: say so first.
                        if (format != null) CheckHeader(format, version);
                        devices = new List<NmcDevice>();
                        json.ReadArray(name, "the file", index => devices.Add(ReadDevice(json, $"device #{index + 1}")));
                        break;
                    default: json.Skip(); break;
                }
            });
            json.ExpectEnd();
            CheckHeader(format, version);
            if (version == null) throw new FormatException("it has no \"version\"");
            return devices ?? throw new FormatException("it has no \"devices\" list");
        }

        private static void CheckHeader(string? format, long? version)
        {
            if (format != FormatName) throw new FormatException($"it is not a SecureNmc inventory (\"format\" is {(format == null ? "missing" : "\"" + format + "\"")})");
            if (version > CurrentVersion)
                throw new FormatException($"it was written by a newer SecureNmc (format version {version}; this version reads up to {CurrentVersion}). Update the SecureNmc module");
            if (version < 1) throw new FormatException($"its format version {version} is not valid");
        }

        private static void WriteDevice(JsonWriter json, NmcDevice d)
        {
            json.BeginInlineObject();
            json.Property("id", d.Id.ToString("D"));
            json.Property("host", d.Host);
            json.Property("protocol", d.Protocol.ToString());
            json.Property("port", d.Port);
            json.OptionalProperty("name", string.IsNullOrEmpty(d.Name) ? null : d.Name);
            json.OptionalProperty("site", d.Site);
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
            json.OptionalProperty("statusBasis", d.StatusBasis);
            json.Property("added", d.Added.ToString("o", CultureInfo.InvariantCulture));
            if (d.Revision != 0) json.Property("revision", d.Revision);
            if (d.BaseRevision != null) json.Property("baseRevision", d.BaseRevision.Value);
            json.OptionalProperty("handedOverTo", d.HandedOverTo);
            json.OptionalProperty("handedOverAt", d.HandedOverAt?.ToString("o", CultureInfo.InvariantCulture));
            json.EndInlineObject();
        }

        private static NmcDevice ReadDevice(JsonCursor json, string where)
        {
            var d = new NmcDevice();
            bool hasId = false;
            long? port = null;
            DateTimeOffset? added = null;
            json.ReadObject(where, name =>
            {
                switch (name)
                {
                    case "id": var id = json.Guid(name, where); if (id != null) { d.Id = id.Value; hasId = true; } break;
                    case "host": d.Host = json.String(name, where) ?? ""; break;
                    case "protocol": d.Protocol = json.Enum<TransferProtocol>(name, where) ?? TransferProtocol.Scp; break;
                    case "port": port = json.Int64(name, where); break;
                    case "name": d.Name = json.String(name, where) ?? ""; break;
                    case "site": d.Site = json.String(name, where); break;
                    case "userName": d.UserName = json.String(name, where); break;
                    case "protectedPassword": d.ProtectedPassword = json.String(name, where); break;
                    case "allowLegacySsh": d.AllowLegacySsh = json.Boolean(name, where) ?? false; break;
                    case "pinnedHostKeyFingerprint": d.PinnedHostKeyFingerprint = json.String(name, where); break;
                    case "model": d.Model = json.String(name, where); break;
                    case "serialNumber": d.SerialNumber = json.String(name, where); break;
                    case "macAddress": d.MacAddress = json.String(name, where); break;
                    case "hardwareRevision": d.HardwareRevision = json.String(name, where); break;
                    case "applicationType": d.ApplicationType = json.Enum<ApplicationType>(name, where); break;
                    case "aosVersion": d.AosVersion = json.String(name, where); break;
                    case "applicationVersion": d.ApplicationVersion = json.String(name, where); break;
                    case "bootloaderVersion": d.BootloaderVersion = json.String(name, where); break;
                    case "systemName": d.SystemName = json.String(name, where); break;
                    case "systemContact": d.SystemContact = json.String(name, where); break;
                    case "systemLocation": d.SystemLocation = json.String(name, where); break;
                    case "lastQueried": d.LastQueried = json.Date(name, where); break;
                    case "status": d.Status = json.Enum<DeviceStatus>(name, where) ?? DeviceStatus.Unknown; break;
                    case "statusDetail": d.StatusDetail = json.String(name, where); break;
                    case "statusBasis": d.StatusBasis = json.String(name, where); break;
                    case "added": added = json.Date(name, where); break;
                    case "revision": d.Revision = json.Int64(name, where) ?? 0; break;
                    case "baseRevision": d.BaseRevision = json.Int64(name, where); break;
                    case "handedOverTo": d.HandedOverTo = json.String(name, where); break;
                    case "handedOverAt": d.HandedOverAt = json.Date(name, where); break;
                    default: json.Skip(); break; // a field from a later version: ignored
                }
            });
            if (!hasId) throw json.Error($"{where} has no \"id\"");
            if (d.Host.Length == 0) throw json.Error($"{where} has no \"host\"");
            if (port.HasValue && (port < DevicePort.Minimum || port > DevicePort.Maximum))
                throw json.Error($"\"port\" of {where} must be from {DevicePort.Minimum} to {DevicePort.Maximum}");
            d.Port = (int)(port ?? DevicePort.DefaultFor(d.Protocol));
            d.Added = added ?? DateTimeOffset.MinValue;
            if (d.HandedOverTo != null && d.HandedOverTo.Trim().Length == 0) d.HandedOverTo = null;
            if (d.HandedOverTo == null) d.HandedOverAt = null;
            return d;
        }
    }
}
