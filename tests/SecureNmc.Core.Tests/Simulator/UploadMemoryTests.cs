using System;
using System.IO;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Firmware;
using static SecureNmc.Core.Tests.Simulator.SimulatorTestKit;

namespace SecureNmc.Core.Tests.Simulator
{
    /// <summary>Runs alone: it measures what the whole process allocates.</summary>
    [CollectionDefinition(nameof(AllocationMeasurement), DisableParallelization = true)]
    public sealed class AllocationMeasurement { }

    /// <summary>A card receiving a package holds one chunk at a time, not the file, with or without an announced size.</summary>
    [Collection(nameof(AllocationMeasurement))]
    public sealed class UploadMemoryTests
    {
        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task Receiving_a_32_MB_package_allocates_far_less_than_the_file(bool sizeAnnounced)
        {
            var bytes = new SimulatorFirmwarePackage("hw21", ApplicationType.SU, "2.6.0.4", "2.6.0.3", null).ToBytes(32 * 1024 * 1024);
            using var fleet = InstantFleet(1, i => new CardProfile { ApplicationType = ApplicationType.SU });
            var card = fleet.Cards[0];
            card.FtpEnabled = true;
            var session = (await Within(card.LoginAsync(sizeAnnounced ? CardProtocol.Ssh : CardProtocol.Ftp, "admin", "Admin!2345", null, Token))).Session!;
            var source = new MemoryStream(bytes, writable: false);

            long before = GC.GetTotalAllocatedBytes(precise: true);
            var result = await Within(session.ReceiveUploadAsync("apc_hw21_su_2.6.0.3.nmc3", source, sizeAnnounced ? bytes.Length : -1, Token));
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

            Assert.True(result.Accepted, result.Message);
            Assert.True(allocated < 4 * 1024 * 1024, $"receiving a {bytes.Length}-byte package allocated {allocated} bytes");
        }
    }
}
