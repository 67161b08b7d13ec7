using SecureNmc.Core.CardFiles;

namespace SecureNmc.Core.Tests.CardFiles
{
    public class ConfigIniParserTests
    {
        [Fact]
        public void Reads_the_header_versions_generation_line_and_sections_of_an_nmc3_file()
        {
            var doc = ConfigIniParser.Parse(CardFileSamples.Nmc3ConfigIni);
            Assert.Equal("2.5.0.8", doc.AosVersion);
            Assert.Equal("Smart-UPS", doc.ApplicationName);
            Assert.Equal("2.5.0.6", doc.ApplicationVersion);
            Assert.Equal("01/21/2026 at 16:08:12", doc.GeneratedOn);
            Assert.Equal("Administrator apc", doc.GeneratedBy);
            Assert.Equal("28 29 86 0A 0B 0C", doc.Get("NetworkTCP/IP", "Override"));
            Assert.Equal("ups-rack-12", doc.Get("networktcp/ip", "hostname"));
            Assert.Equal("UPS Rack 12", doc.Get("SystemID", "Name"));
            Assert.Equal("noc@corp.example", doc.Get("SystemID", "Contact"));
            Assert.Equal("DC1 Row C", doc.Get("SystemID", "Location"));
            Assert.Equal(4, doc.Sections.Count);
        }

        [Fact]
        public void Lf_line_ends_give_the_same_result_as_crlf()
        {
            var crlf = ConfigIniParser.Parse(CardFileSamples.Nmc3ConfigIni);
            var lf = ConfigIniParser.Parse(CardFileSamples.Nmc3ConfigIni.Replace("\r\n", "\n"));
            var cr = ConfigIniParser.Parse(CardFileSamples.Nmc3ConfigIni.Replace("\r\n", "\r"));
            foreach (var doc in new[] { lf, cr })
            {
                Assert.Equal(crlf.AosVersion, doc.AosVersion);
                Assert.Equal(crlf.ApplicationVersion, doc.ApplicationVersion);
                Assert.Equal(crlf.Get("SystemID", "Location"), doc.Get("SystemID", "Location"));
                Assert.Equal(crlf.Sections.Count, doc.Sections.Count);
            }
        }

        [Fact]
        public void Tolerates_bom_spaces_around_equals_keys_before_sections_and_junk_lines()
        {
            var text = "\uFEFFStray=1\r\n[SystemID]\r\n  Name  =  Lab UPS  \r\nthis line is junk\r\n# hash comment\r\n[SystemID\r\nContact=x\r\n";
            var doc = ConfigIniParser.Parse(text);
            Assert.Equal("1", doc.Get("", "Stray"));
            Assert.Equal("Lab UPS", doc.Get("SystemID", "Name"));
            Assert.Equal("x", doc.Get("SystemID", "Contact")); // unterminated header still opens the section
            Assert.Null(doc.AosVersion);
        }

        [Fact]
        public void A_file_without_header_or_system_id_leaves_those_facts_unknown()
        {
            var doc = ConfigIniParser.Parse("[NetworkTCP/IP]\nHostName=x\n");
            Assert.Null(doc.AosVersion);
            Assert.Null(doc.ApplicationName);
            Assert.Null(doc.Get("SystemID", "Name"));
        }

        [Fact]
        public void Reads_an_nmc2_header()
        {
            var doc = ConfigIniParser.Parse(CardFileSamples.Nmc2ConfigIni);
            Assert.Equal("6.9.6", doc.AosVersion);
            Assert.Equal("Smart-UPS & Matrix-UPS", doc.ApplicationName);
            Assert.Equal("6.9.6", doc.ApplicationVersion);
        }

        [Theory]
        [InlineData("")]
        [InlineData("\r\n\r\n")]
        [InlineData("<html><body>Login</body></html>")]
        [InlineData("; just a comment\n; another")]
        public void Text_that_is_not_a_config_file_throws_the_documented_exception(string text)
        {
            var ex = Assert.Throws<CardFileFormatException>(() => ConfigIniParser.Parse(text));
            Assert.Equal(CardFileKind.ConfigIni, ex.Kind);
            Assert.Contains("config.ini", ex.Message);
        }

        [Fact]
        public void Latin1_bytes_are_decoded_instead_of_failing()
        {
            var bytes = System.Text.Encoding.Latin1.GetBytes("[SystemID]\r\nLocation=Salle serveur \u00e9tage 2\r\n");
            Assert.Equal("Salle serveur \u00e9tage 2", ConfigIniParser.Parse(bytes).Get("SystemID", "Location"));
        }
    }
}
