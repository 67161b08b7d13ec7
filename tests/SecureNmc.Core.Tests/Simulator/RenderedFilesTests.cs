using System.Linq;
using System.Text;
using System.Threading.Tasks;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;
using SecureNmc.Simulator.Cards;
using static SecureNmc.Core.Tests.Simulator.SimulatorTestKit;

namespace SecureNmc.Core.Tests.Simulator
{
    /// <summary>What a simulated card serves is what a real card serves, and the product's parsers read it back.</summary>
    public class RenderedFilesTests
    {
        private static async Task<(string Config, string Events, string Data, string About, string Banner)> ReadAll(SimulatedCard card)
        {
            var login = await Within(card.LoginAsync(CardProtocol.Ssh, "admin", "Admin!2345", "test", Token));
            using var s = login.Session!;
            return (Encoding.UTF8.GetString(await s.ReadFileAsync("config.ini", Token)),
                    Encoding.UTF8.GetString(await s.ReadFileAsync("/event.txt", Token)),
                    Encoding.UTF8.GetString(await s.ReadFileAsync("DATA.TXT", Token)),
                    await s.RunCommandAsync("about", Token),
                    card.BannerFor("admin"));
        }

        [Fact]
        public async Task Config_ini_is_crlf_with_the_version_header_and_sections()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            var (config, _, _, _, _) = await ReadAll(card);
            Assert.DoesNotContain("\n", config.Replace("\r\n", ""));
            var lines = config.Split("\r\n");
            Assert.Equal("; Schneider Electric", lines[0]);
            Assert.Equal("; Network Management Card AOS v2.5.0.8", lines[1]);
            Assert.Equal($"; {ApplicationHeaderNames.For(card.Profile.ApplicationType)} APP v2.5.0.6", lines[2]);
            Assert.StartsWith("; Configuration file, generated on ", lines[4]);
            var doc = ConfigIniParser.Parse(config);
            Assert.Equal(card.Profile.SystemName, doc.Get("SystemID", "Name"));
            Assert.Equal(card.Profile.MacAddress, MacAddressText.Normalize(doc.Get("NetworkTCP/IP", "Override")));
            Assert.Equal("disabled", doc.Get("NetworkFTPServer", "Access"));
        }

        [Fact]
        public async Task Every_file_parses_back_into_the_cards_identity()
        {
            using var fleet = InstantFleet(9);
            foreach (var card in fleet.Cards)
            {
                var (config, events, data, about, banner) = await ReadAll(card);
                var id = CardIdentityBuilder.Build(ConfigIniParser.Parse(config), AboutOutputParser.Parse(about), LoginBannerParser.Parse(banner),
                                                   CardLogParser.ParseEventLog(events), CardLogParser.ParseDataLog(data));
                var p = card.Profile;
                Assert.Equal(NmcGeneration.Nmc3, id.Generation);
                Assert.Equal(p.Model, id.Model);
                Assert.Equal(p.SerialNumber, id.SerialNumber);
                Assert.Equal(p.MacAddress, id.MacAddress);
                Assert.Equal(p.HardwareRevision, id.HardwareRevision);
                Assert.Equal(p.ApplicationType, id.ApplicationType);
                Assert.Equal(p.BootloaderVersion, id.BootloaderVersion);
                Assert.Equal(p.AosVersion, id.AosVersion);
                Assert.Equal(p.ApplicationVersion, id.ApplicationVersion);
                Assert.Equal(p.SystemName, id.SystemName);
                Assert.Equal(p.SystemContact, id.SystemContact);
                Assert.Equal(p.SystemLocation, id.SystemLocation);
                Assert.Equal(p.DeviceModel, id.DeviceModel);
                // header-only sources agree too
                var b = LoginBannerParser.Parse(banner);
                Assert.Equal(p.ApplicationVersion, b.ApplicationVersion);
                Assert.Equal(p.SystemLocation, b.SystemLocation);
            }
        }

        [Fact]
        public async Task Event_log_lists_newest_first_and_the_data_log_names_the_device()
        {
            using var fleet = InstantFleet(1);
            var (_, events, data, _, _) = await ReadAll(fleet.Cards[0]);
            var log = CardLogParser.ParseEventLog(events);
            Assert.True(log.Rows.Count >= 3);
            var times = log.Rows.Select(r => r.Timestamp!.Value).ToList();
            Assert.Equal(times.OrderByDescending(t => t), times);
            Assert.Equal("1.0", log.FileFormatVersion);
            Assert.Equal(fleet.Cards[0].Host, log.IpAddress);
            Assert.Equal("Smart-UPS 1500", CardLogParser.ParseDataLog(data).DeviceModel);
        }

        [Fact]
        public async Task An_nmc2_card_serves_hw05_style_files()
        {
            using var fleet = InstantFleet(1, CardProfile.Nmc2);
            var (config, events, _, about, _) = await ReadAll(fleet.Cards[0]);
            var a = AboutOutputParser.Parse(about);
            Assert.Equal("bootmon", a.Bootloader!.Name);
            Assert.Equal("sumx", a.Application!.Name);
            Assert.Null(CardLogParser.ParseEventLog(events).AosVersion); // NMC2 logs carry no versions
            var id = CardIdentityBuilder.Build(ConfigIniParser.Parse(config), a);
            Assert.Equal(NmcGeneration.Nmc2, id.Generation);
        }

        [Fact]
        public async Task Unknown_files_and_commands_are_refused_like_a_card()
        {
            using var fleet = InstantFleet(1);
            var login = await fleet.Cards[0].LoginAsync(CardProtocol.Ssh, "admin", "Admin!2345", null, Token);
            using var s = login.Session!;
            var ex = await Assert.ThrowsAsync<CardOperationException>(() => s.ReadFileAsync("secret.bin", Token));
            Assert.Equal(CardErrorKind.NotFound, ex.Kind);
            Assert.StartsWith("E101", await s.RunCommandAsync("reboot-everything", Token));
        }
    }
}
