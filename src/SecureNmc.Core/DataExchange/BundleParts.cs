using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SecureNmc.Core.Bundles;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Licensing.Contract;
using SecureNmc.Core.Json;

namespace SecureNmc.Core.DataExchange
{
    /// <summary>
    /// The structured parts of a bundle. <c>bundle.json</c> (metadata) says what was exported;
    /// <c>devices.json</c> is the inventory format with each password sealed by the bundle's
    /// credential key (never this machine's DPAPI/key-file blob, which would not open elsewhere);
    /// <c>licences.json</c> holds the signed licence records as the service issued them.
    /// Firmware parts are named by their package file name.
    /// </summary>
    internal static class BundleParts
    {
        public const string MetadataName = "bundle.json";
        public const string DevicesName = "devices.json";
        public const string LicencesName = "licences.json";
        public const string MetadataFormat = "SecureNmc.Bundle";
        public const string LicencesFormat = "SecureNmc.BundleLicences";

        /// <summary>Associated data of a sealed device password: binds it to the device id it was exported with.</summary>
        public static string SealedPasswordData(Guid deviceId) => "SecureNmc.Bundle.DevicePassword/" + deviceId.ToString("D");

        public static byte[] Metadata(BundleContent include, int devices, int licences, int firmware, DateTimeOffset created)
        {
            var document = new JsonObject()
                .Set("format", MetadataFormat)
                .Set("version", 1)
                .Set("created", created.ToString("o", CultureInfo.InvariantCulture))
                .Set("module", typeof(BundleParts).Assembly.GetName().Version?.ToString() ?? "")
                .Set("include", include.ToString())
                .Set("devices", devices)
                .Set("licences", licences)
                .Set("firmware", firmware);
            return Encoding.UTF8.GetBytes(JsonWriter.Write(document, indented: true));
        }

        public static void CheckMetadata(byte[] content)
        {
            string? format;
            try
            {
                // Reading "format" is inside the try: a "format" that is not a string (a number, an object)
                // throws a FormatException too, and must be refused as a bad bundle, not escape as a crash.
                format = JsonReader.ParseObject(Utf8(content, MetadataName)).GetOptionalString("format");
            }
            catch (FormatException e) { throw Invalid($"its {MetadataName} is not valid JSON ({e.Message})"); }
            if (format != MetadataFormat) throw Invalid($"its {MetadataName} does not name the {MetadataFormat} format");
        }

        /// <summary>Device records with each password sealed for the bundle; the caller's devices are not changed.</summary>
        public static byte[] Devices(IReadOnlyList<NmcDevice> devices, Func<NmcDevice, string?> sealPassword)
        {
            var copies = devices.Select(d =>
            {
                var copy = d.Clone();
                copy.ProtectedPassword = d.ProtectedPassword == null ? null : sealPassword(d);
                // Who holds a card in flight is the exporting inventory's bookkeeping: on the worker the card is not in flight.
                copy.HandedOverTo = null;
                copy.HandedOverAt = null;
                return copy;
            }).ToList();
            return InventoryFileFormat.Serialize(copies);
        }

        /// <summary>The bundle's device records, checked: valid hosts, unique ids and endpoints.</summary>
        public static List<NmcDevice> ReadDevices(byte[] content)
        {
            List<NmcDevice> devices;
            try { devices = InventoryFileFormat.Deserialize(content); }
            catch (FormatException e) { throw Invalid($"its device list is not readable: {e.Message}"); }
            var ids = new HashSet<Guid>();
            var endpoints = new HashSet<string>(DeviceIdentity.KeyComparer);
            foreach (var d in devices)
            {
                var host = HostNameValidator.Validate(d.Host);
                if (!host.IsValid) throw Invalid($"device '{Printable(d.Host)}' has an invalid host: {host.Error}");
                if (!ids.Add(d.Id)) throw new BundleException(BundleError.DuplicateEntry, $"The bundle lists the device id {d.Id:D} twice; it was not made by Export-NmcBundle or was altered. Nothing was imported.");
                if (!endpoints.Add(DeviceIdentity.KeyOf(d))) throw new BundleException(BundleError.DuplicateEntry, $"The bundle lists the device {d.Host}:{d.Port} twice; it was not made by Export-NmcBundle or was altered. Nothing was imported.");
            }
            return devices;
        }

        public static byte[] Licences(IEnumerable<LicenceRecord> records)
        {
            var document = new JsonObject()
                .Set("format", LicencesFormat)
                .Set("records", new JsonArray(records.Select(r => (JsonValue)ContractJson.Record(r))));
            return Encoding.UTF8.GetBytes(JsonWriter.Write(document, indented: true));
        }

        public static List<LicenceRecord> ReadLicences(byte[] content)
        {
            try
            {
                var document = JsonReader.ParseObject(Utf8(content, LicencesName));
                if (document.GetOptionalString("format") != LicencesFormat) throw new FormatException($"it is not in the {LicencesFormat} format");
                var records = new List<LicenceRecord>();
                var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                int index = 0;
                foreach (var item in document.GetArray("records").Items)
                {
                    index++;
                    var record = ContractJson.ReadRecord(item as JsonObject ?? throw new FormatException($"record {index} is not an object"));
                    if (!ids.Add(record.RecordId))
                        throw new BundleException(BundleError.DuplicateEntry, $"The bundle holds licence record {record.RecordId} twice; it was not made by Export-NmcBundle or was altered. Nothing was imported.");
                    records.Add(record);
                }
                return records;
            }
            catch (Exception e) when (e is FormatException || e is OverflowException || e is LicensingException)
            {
                throw Invalid($"its licence list is not readable: {e.Message}");
            }
        }

        private static string Utf8(byte[] content, string part)
        {
            try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content); }
            catch (DecoderFallbackException) { throw Invalid($"its {part} is not UTF-8 text"); }
        }

        private static BundleException Invalid(string problem) =>
            new BundleException(BundleError.Malformed, $"The bundle was refused: {problem}. Nothing was imported.");

        private static string Printable(string s) => new string(s.Take(80).Select(c => c < 32 || c > 126 ? '?' : c).ToArray());
    }
}
