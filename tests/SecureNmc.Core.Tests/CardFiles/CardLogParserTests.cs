using SecureNmc.Core.CardFiles;

namespace SecureNmc.Core.Tests.CardFiles
{
    public class CardLogParserTests
    {
        [Fact]
        public void Reads_event_log_header_and_rows_newest_first()
        {
            var doc = CardLogParser.ParseEventLog(CardFileSamples.Nmc3EventLog);
            Assert.Equal("1.0", doc.FileFormatVersion);
            Assert.Equal("01/21/2026 16:10:00", doc.RetrievedOn);
            Assert.Equal("UPS Rack 12", doc.SystemName);
            Assert.Equal("noc@corp.example", doc.SystemContact);
            Assert.Equal("DC1 Row C", doc.SystemLocation);
            Assert.Equal("10.20.30.40", doc.IpAddress);
            Assert.Equal("2.5.0.8", doc.AosVersion);
            Assert.Equal("Smart-UPS", doc.ApplicationName);
            Assert.Equal("2.5.0.6", doc.ApplicationVersion);
            Assert.Equal(new[] { "Code", "Date", "Time", "Event" }, doc.Columns);
            Assert.Equal(3, doc.Rows.Count);
            Assert.Equal("0x0078", doc.Rows[0].Code);
            Assert.Equal("Firmware Updated.", doc.Rows[0].Text);
            Assert.Equal(new System.DateTime(2026, 1, 21, 16, 5, 0), doc.Rows[0].Timestamp);
            Assert.Equal(new System.DateTime(2026, 1, 21, 16, 5, 0), doc.FindNewest("Firmware Updated")!.Timestamp);
        }

        [Fact]
        public void Reads_data_log_with_device_model_and_measurements()
        {
            var doc = CardLogParser.ParseDataLog(CardFileSamples.Nmc3DataLog.Replace("\r\n", "\n"));
            Assert.Equal("Smart-UPS X 3000", doc.DeviceModel);
            Assert.Equal(2, doc.Rows.Count);
            Assert.Null(doc.Rows[0].Code);
            Assert.Equal(new[] { "230.1", "230.0", "21.0" }, doc.Rows[0].Values);
        }

        [Fact]
        public void Tolerates_reordered_fields_missing_column_titles_spaces_and_other_date_forms()
        {
            var text = "Name: Lab\nContact : someone\n21.01.2026\t16:05\tSystem: Coldstart.\t0x0001\n2026-01-20\t10:00:00\t0x0078\tFirmware Updated.\n";
            var doc = CardLogParser.ParseEventLog(text);
            Assert.Equal("Lab", doc.SystemName);
            Assert.Equal("someone", doc.SystemContact);
            Assert.Empty(doc.Columns);
            Assert.Equal(2, doc.Rows.Count);
            Assert.Equal("0x0001", doc.Rows[0].Code);
            Assert.Equal("System: Coldstart.", doc.Rows[0].Text);
            Assert.Equal(new System.DateTime(2026, 1, 21, 16, 5, 0), doc.Rows[0].Timestamp);
            Assert.Equal(new System.DateTime(2026, 1, 20, 10, 0, 0), doc.Rows[1].Timestamp);
        }

        [Fact]
        public void An_nmc2_log_without_version_lines_leaves_versions_unknown()
        {
            var text = "Event Log File Format Version:\t1.0\nName:\tOld UPS\nIP:\t10.0.0.9\n\nDate\tTime\tEvent\n03/02/2025\t08:00:01\tSystem: Coldstart.\n";
            var doc = CardLogParser.ParseEventLog(text);
            Assert.Null(doc.AosVersion);
            Assert.Null(doc.ApplicationVersion);
            Assert.Equal("10.0.0.9", doc.IpAddress);
            Assert.Single(doc.Rows);
            Assert.Null(doc.FindNewest("Firmware Updated"));
        }

        [Theory]
        [InlineData("")]
        [InlineData("12345\n67890\n")]
        public void Text_that_is_not_a_log_throws_the_documented_exception(string text)
        {
            var ex = Assert.Throws<CardFileFormatException>(() => CardLogParser.ParseDataLog(text));
            Assert.Equal(CardFileKind.DataLog, ex.Kind);
        }
    }
}
