using System;
using System.IO;
using System.Net;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Security;
using SecureNmc.Core.Storage;
using SecureNmc.Simulator.Licensing;

namespace SecureNmc.Core.Tests.Licensing
{
    public class RehearsalServiceTests
    {
        [Fact]
        public async Task The_rehearsal_service_serves_its_documented_seed()
        {
            var clock = SimulatedClock.OnDay(2025, 9, 1);
            var root = Path.Combine(Path.GetTempPath(), "snmc-rehearsal-" + Guid.NewGuid().ToString("N"));
            using (var host = LicensingRehearsal.Start(clock: clock))
            using (var manager = new SubscriptionManager(new SubscriptionManagerOptions
            {
                Service = new LicensingServiceOptions { Endpoint = host.Endpoint, TrustedKey = TrustedServiceKey.Parse(host.PublicKey.ToBase64()) },
                DataFolder = DataFolder.ForRoot(root),
                SecretProtector = new KeyFileCredentialProtector(DataFolder.ForRoot(root)),
                Clock = clock,
            }))
            {
                try
                {
                    await manager.Account.ConnectAsync(new NetworkCredential(LicensingRehearsal.UserName, LicensingRehearsal.Password), false, TestTimeout.Token());
                    var ups = LicensingTestEnvironment.Device(LicensingRehearsal.IncludedSmartUpsSerial, ApplicationType.SU, LicensingRehearsal.IncludedSmartUpsMac);
                    var pdu = LicensingTestEnvironment.Device(LicensingRehearsal.OldPduSerial, ApplicationType.RPDU2G, LicensingRehearsal.OldPduMac);
                    var statuses = await manager.CheckAsync(new[] { ups, pdu }, null, TestTimeout.Token());
                    Assert.Equal(SubscriptionState.Included, statuses[0].State);
                    Assert.Equal(SubscriptionState.None, statuses[1].State);
                    var outcome = (await manager.ActivateAsync(new[] { new ActivationRequest(pdu, LicensingRehearsal.ActivationId("PDU", 2)) }, null, TestTimeout.Token()))[0];
                    Assert.True(outcome.Succeeded, outcome.Message);
                    Assert.Equal(new DateTime(2027, 9, 1), outcome.Subscription!.ExpiresOn);
                }
                finally
                {
                    try { Directory.Delete(root, true); } catch (IOException) { }
                }
            }
        }
    }
}
