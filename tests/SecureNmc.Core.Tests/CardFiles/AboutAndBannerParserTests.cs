using SecureNmc.Core.CardFiles;

namespace SecureNmc.Core.Tests.CardFiles
{
    public class AboutAndBannerParserTests
    {
        [Fact]
        public void Reads_nmc3_about_output()
        {
            var about = AboutOutputParser.Parse(CardFileSamples.Nmc3About);
            Assert.Equal("E000", about.ResponseCode);
            Assert.Equal("AP9641", about.Model);
            Assert.Equal("ZA2045001234", about.SerialNumber);
            Assert.Equal("5", about.HardwareRevision);
            Assert.Equal("28:29:86:0A:0B:0C", about.MacAddress);
            Assert.Equal("su", about.Application!.Name);
            Assert.Equal("2.5.0.6", about.Application.Version);
            Assert.Equal("2.5.0.8", about.Aos!.Version);
            Assert.Equal("boot", about.Bootloader!.Name);
            Assert.Equal("1.5.1.1", about.Bootloader.Version);
        }

        [Fact]
        public void Reads_nmc2_about_output_with_an_echoed_prompt_and_spaces_instead_of_tabs()
        {
            var about = AboutOutputParser.Parse(CardFileSamples.Nmc2About);
            Assert.Equal("AP9631", about.Model);
            Assert.Equal("sumx", about.Application!.Name);
            Assert.Equal("bootmon", about.Bootloader!.Name);
            Assert.Equal("1.0.9", about.Bootloader.Version);
            Assert.Equal("00:C0:B7:11:22:33", about.MacAddress);
        }

        [Fact]
        public void Module_names_printed_as_image_files_yield_code_hardware_and_version()
        {
            var about = AboutOutputParser.Parse("Model Number: AP9641\nName: apc_hw21_su_2.5.0.6.bin\nName: apc_hw21_aos_2.5.0.8.bin\n");
            Assert.Equal("su", about.Application!.Name);
            Assert.Equal("hw21", about.Application.HardwareCode);
            Assert.Equal("2.5.0.6", about.Application.Version);
            Assert.Equal("2.5.0.8", about.Aos!.Version);
        }

        [Theory]
        [InlineData("E101: Command Not Found")]
        [InlineData("E100: Command failed\r\n")]
        [InlineData("")]
        [InlineData("------\n\n")]
        public void Errors_and_non_about_text_throw_the_documented_exception(string text)
        {
            var ex = Assert.Throws<CardFileFormatException>(() => AboutOutputParser.Parse(text));
            Assert.Equal(CardFileKind.AboutOutput, ex.Kind);
        }

        [Fact]
        public void Reads_the_two_column_login_banner()
        {
            var banner = LoginBannerParser.Parse(CardFileSamples.Nmc3Banner);
            Assert.Equal("2.5.0.8", banner.AosVersion);
            Assert.Equal("Smart-UPS", banner.ApplicationName);
            Assert.Equal("2.5.0.6", banner.ApplicationVersion);
            Assert.Equal("UPS Rack 12", banner.SystemName);
            Assert.Equal("noc@corp.example", banner.SystemContact);
            Assert.Equal("DC1 Row C", banner.SystemLocation);
            Assert.Equal("Administrator", banner.UserRole);
        }

        [Fact]
        public void Reads_the_ftp_welcome_line_and_rejects_unrelated_banners()
        {
            Assert.Equal("2.5.0.8", LoginBannerParser.TryParse("220 Network Management Card AOS v2.5.0.8 FTP server ready.")!.AosVersion);
            Assert.Null(LoginBannerParser.TryParse("Welcome to Ubuntu 24.04 LTS"));
            Assert.Throws<CardFileFormatException>(() => LoginBannerParser.Parse("Welcome to Ubuntu 24.04 LTS"));
        }

        [Theory]
        [InlineData("28 29 86 0a 0b 0c", "28:29:86:0A:0B:0C")]
        [InlineData("28-29-86-0A-0B-0C", "28:29:86:0A:0B:0C")]
        [InlineData("2829860A0B0C", "28:29:86:0A:0B:0C")]
        [InlineData("28 29 86 0A 0B", null)]
        [InlineData("zz 29 86 0A 0B 0C", null)]
        public void Mac_addresses_are_normalised(string text, string? expected) =>
            Assert.Equal(expected, MacAddressText.Normalize(text));
    }
}
