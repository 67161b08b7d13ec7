using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CsvHelper;
using SecureNmc.Core.Csv;
using SecureNmc.Core.DataExchange;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Tests.DataExchange
{
    /// <summary>The CSV export opens cleanly in a spreadsheet-like parser, runs no formula and holds no credential.</summary>
    public sealed class CsvExportTests : IDisposable
    {
        private readonly Machine _a = new Machine("csv", null);

        public void Dispose() => _a.Dispose();

        [Theory]
        [InlineData("=HYPERLINK(\"http://evil\",\"x\")")]
        [InlineData("+1+cmd|' /C calc'!A0")]
        [InlineData("-2+3")]
        [InlineData("@SUM(A1:A2)")]
        [InlineData("\t=1+1")]
        [InlineData("\r=1+1")]
        [InlineData("   =1+1")]
        [InlineData("\uFF1D1+1")]
        public void Formula_text_is_neutralised(string cell)
        {
            Assert.True(SpreadsheetSafety.IsFormulaLike(cell));
            Assert.Equal("'" + cell, SpreadsheetSafety.Neutralize(cell));
        }

        [Theory]
        [InlineData("UPS 1")]
        [InlineData("2.6.0.1")]
        [InlineData("a=b")]
        [InlineData("")]
        public void Ordinary_text_is_left_alone(string cell) => Assert.Equal(cell, SpreadsheetSafety.Neutralize(cell));

        private static List<Dictionary<string, string>> ReadBack(string path)
        {
            using var reader = new StreamReader(path);
            using var csv = CsvReader.Create(reader, new CsvReaderOptions { Separator = ',', HasHeader = true, MalformedData = CsvMalformedDataHandling.Throw });
            var rows = new List<Dictionary<string, string>>();
            while (csv.Read())
                rows.Add(csv.Headers.ToDictionary(h => h, h => csv.GetString(h)));
            return rows;
        }

        [Fact]
        public void The_file_reads_back_with_quoted_commas_quotes_and_line_breaks_and_formulas_neutralised()
        {
            _a.AddDevice("10.2.0.1", "=cmd|' /C calc'!A0", "admin", "Very$ecret-1", "ZA2101000021", ApplicationType.SU, "2.5.0.6");
            _a.AddDevice("10.2.0.2", "Rack 4, \"north\" row\r\nsecond line", "apc", "Other$ecret-2", "ZA2101000022", ApplicationType.RPDU2G, "2.6.0.1");
            _a.Inventory.Update(_a.Inventory.GetAll()[1].Id, d => { d.MacAddress = "28:29:86:00:00:22"; d.Model = "@evil"; d.Status = DeviceStatus.UpdateComplete; });
            var path = _a.PathFor("devices.csv");

            var result = _a.Exporter.ExportCsv(path, null, force: false);

            Assert.Equal(2, result.Devices);
            var rows = ReadBack(path);
            Assert.Equal(2, rows.Count);
            Assert.Equal(DeviceCsvExporter.Columns, rows[0].Keys);
            Assert.Equal("'=cmd|' /C calc'!A0", rows[0]["Name"]);
            Assert.Equal("10.2.0.1", rows[0]["Host"]);
            Assert.Equal("ZA2101000021", rows[0]["SerialNumber"]);
            Assert.Equal("SU", rows[0]["ApplicationType"]);
            Assert.Equal("2.5.0.6", rows[0]["ApplicationVersion"]);
            Assert.Equal("Rack 4, \"north\" row\r\nsecond line", rows[1]["Name"]);
            Assert.Equal("'@evil", rows[1]["Model"]);
            Assert.Equal("28:29:86:00:00:22", rows[1]["MacAddress"]);
            Assert.Equal(DeviceStatus.UpdateComplete.ToText(), rows[1]["Status"]);
            foreach (var row in rows)
                foreach (var cell in row.Values)
                    Assert.False(SpreadsheetSafety.IsFormulaLike(cell), cell);

            var bytes = File.ReadAllBytes(path);
            foreach (var secret in new[] { "Very$ecret-1", "Other$ecret-2", "admin", "apc" })
                Assert.False(Bytes.Contains(bytes, secret), secret);
            var inventoryBlob = _a.Inventory.GetAll()[0].ProtectedPassword!;
            Assert.False(Bytes.Contains(bytes, inventoryBlob.Substring(0, 16)));
        }

        [Fact]
        public void Import_NmcDevice_reads_the_exported_file_on_another_machine()
        {
            _a.AddDevice("10.2.0.3", "UPS, east", "admin", "x-Secret-3", "ZA2101000023", ApplicationType.SU, "2.5.0.6");
            _a.AddDevice("ups4.example.com", "UPS 4");
            var path = _a.PathFor("seed.csv");
            _a.Exporter.ExportCsv(path, null, false);

            var read = new DeviceCsvReader(null).ReadFile(path);

            Assert.Empty(read.Problems);
            Assert.Equal(new[] { "10.2.0.3", "ups4.example.com" }, read.Rows.Select(r => r.Device.Host));
            Assert.Equal("UPS, east", read.Rows[0].Device.Name);
            Assert.False(read.ContainsPlaintextPasswords);
        }

        [Fact]
        public void Selected_devices_only()
        {
            var one = _a.AddDevice("10.2.0.5", "Five");
            _a.AddDevice("10.2.0.6", "Six");
            var path = _a.PathFor("one.csv");
            _a.Exporter.ExportCsv(path, new[] { one }, false);
            Assert.Equal("Five", Assert.Single(ReadBack(path))["Name"]);
        }
    }
}
