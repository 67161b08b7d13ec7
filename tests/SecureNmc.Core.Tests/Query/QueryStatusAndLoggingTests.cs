using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Query;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Transport;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Transport;
using static SecureNmc.Core.Tests.Simulator.SimulatorTestKit;

namespace SecureNmc.Core.Tests.Query
{
    /// <summary>Which status a query stores next to a run's result, and how loudly it reports a failure.</summary>
    public class QueryStatusAndLoggingTests
    {
        private static DeviceQueryService Service(SimulatedFleet fleet, DeviceQueryOptions? options = null) =>
            new DeviceQueryService(new IFileTransferClient[] { new InProcessCardTransport(fleet, TransferProtocol.Scp) }, options);

        private static NmcDevice DeviceFor(SimulatedCard card) => new NmcDevice { Host = card.Host, Port = card.SshPort, Name = card.Name };

        private static NetworkCredential Admin => SimulatedFleet.Credential(CardUserKind.Administrator);

        [Fact]
        public async Task Update_Complete_and_its_basis_survive_a_refresh_that_finds_the_same_firmware()
        {
            using var fleet = InstantFleet(1);
            var device = DeviceFor(fleet.Cards[0]);
            var planned = Service(fleet, new DeviceQueryOptions { StatusAfterQuery = (d, id) => DeviceStatus.AtCurrentVersion });
            await Within(planned.QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceStatus.AtCurrentVersion, device.Status);

            device.Status = DeviceStatus.UpdateComplete;
            device.StatusBasis = "AtCurrentVersion|SU|2.9.0.1";
            await Within(planned.QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceStatus.UpdateComplete, device.Status);
            Assert.Equal("AtCurrentVersion|SU|2.9.0.1", device.StatusBasis);

            // New firmware on the card: the planner decides again, and the basis goes with the result.
            fleet.Cards[0].Profile.ApplicationVersion = "2.9.0.9";
            await Within(planned.QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceStatus.AtCurrentVersion, device.Status);
            Assert.Null(device.StatusBasis);
        }

        [Fact]
        public async Task An_Update_Error_stays_after_a_refresh_that_finds_the_old_firmware_and_goes_when_the_firmware_changed()
        {
            using var fleet = InstantFleet(1);
            var device = DeviceFor(fleet.Cards[0]);
            var planned = Service(fleet, new DeviceQueryOptions { StatusAfterQuery = (d, id) => DeviceStatus.ReadyForUpdate });
            await Within(planned.QueryAsync(device, Admin, Token));
            device.Status = DeviceStatus.UpdateError;
            device.StatusDetail = "did not come back";
            device.StatusBasis = "ReadyForUpdate|SU|2.9.0.1";

            await Within(planned.QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceStatus.UpdateError, device.Status);
            Assert.Equal("ReadyForUpdate|SU|2.9.0.1", device.StatusBasis);

            fleet.Cards[0].Profile.ApplicationVersion = "2.9.0.1";
            await Within(planned.QueryAsync(device, Admin, Token));
            Assert.Equal(DeviceStatus.ReadyForUpdate, device.Status);
            Assert.Null(device.StatusBasis);
        }

        [Fact]
        public async Task A_failed_query_is_a_warning_by_default_and_at_the_level_asked_for()
        {
            using var fleet = InstantFleet(1);
            fleet.Cards[0].Faults.RefuseConnections = true;

            var loud = new CapturingLogger();
            await Within(Service(fleet, new DeviceQueryOptions { Logger = loud }).QueryAsync(DeviceFor(fleet.Cards[0]), Admin, Token));
            Assert.Contains(loud.At(LogLevel.Warning), m => m.Contains("Not Accessible"));

            var quiet = new CapturingLogger();
            var device = DeviceFor(fleet.Cards[0]);
            device.StatusBasis = "ReadyForUpdate|SU|2.9.0.1";
            await Within(Service(fleet, new DeviceQueryOptions { Logger = quiet, FailureLogLevel = LogLevel.Debug }).QueryAsync(device, Admin, Token));
            Assert.Empty(quiet.At(LogLevel.Warning));
            Assert.Contains(quiet.At(LogLevel.Debug), m => m.Contains("Not Accessible"));
            Assert.Equal(DeviceStatus.NotAccessible, device.Status);
            Assert.Null(device.StatusBasis);
        }
    }
}
