using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Core.Tests.Licensing
{
    public class OfflineActivationTests
    {
        [Fact]
        public async Task Full_round_trip_between_an_air_gapped_and_an_internet_facing_data_folder()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 9, 1)))
            {
                env.Database.AddCard("GAP-INC", "28:29:86:00:10:01", new DateTime(2025, 6, 1));
                env.Database.AddActivationId("AID-GAP1", "SWNMC3PDU-2Y-DIGI");
                env.Database.AddActivationId("AID-GAP2", "SWNMC3PDU-1Y-DIGI");
                var included = LicensingTestEnvironment.Device("GAP-INC", ApplicationType.EU3P, "28:29:86:00:10:01", "eu3p-hall-a");
                var purchased = LicensingTestEnvironment.Device("GAP-PDU", ApplicationType.RPDU2G, "00:C0:B7:00:10:02", "pdu-hall-a");
                var wrongFamily = LicensingTestEnvironment.Device("GAP-UPS", ApplicationType.SU, "28:29:86:00:10:03", "ups-hall-a");
                var notQueried = new NmcDevice { Host = "10.1.1.9" };

                // Machine A: air-gapped, never signed in.
                var folderA = env.NewDataFolder();
                var machineA = env.NewManager(folderA);
                var requestFile = Path.Combine(env.NewDataFolder(), "request.json");
                var export = machineA.ExportActivationRequest(new[]
                {
                    new ActivationRequest(included),
                    new ActivationRequest(purchased, "AID-GAP1"),
                    new ActivationRequest(wrongFamily, "AID-GAP2"),
                    new ActivationRequest(notQueried, "AID-GAP2"),
                }, requestFile);
                Assert.Equal(3, export.Entries);
                Assert.Single(export.Skipped);
                Assert.Equal(LicensingErrorCode.CardNotQueried, export.Skipped[0].ErrorCode);
                Assert.True(File.Exists(requestFile));
                Assert.Null(machineA.Account.Current);

                // Machine B: internet facing, its own data folder, signed in.
                var folderB = env.NewDataFolder();
                var machineB = env.SignedInManager(folderB);
                var responseFile = Path.Combine(env.NewDataFolder(), "response.json");
                var submitted = await machineB.SubmitActivationRequestAsync(requestFile, responseFile, TestTimeout.Token());
                Assert.Equal(export.RequestId, submitted.RequestId);
                Assert.Equal(2, submitted.Licensed);
                Assert.Equal(1, submitted.Failed);
                Assert.Empty(machineB.Store.All()); // B only relays; it licenses nothing of its own

                // Back on machine A.
                var imported = machineA.ImportActivationResponse(responseFile);
                Assert.True(imported.MatchedPendingRequest);
                var byCard = imported.Outcomes.ToDictionary(o => o.CardSerial);
                Assert.True(byCard["GAP-INC"].Succeeded);
                Assert.Equal("eu3p-hall-a", byCard["GAP-INC"].DeviceName);
                Assert.Equal(SubscriptionState.Included, byCard["GAP-INC"].Subscription!.State);
                Assert.True(byCard["GAP-PDU"].Succeeded);
                Assert.Equal(new DateTime(2027, 9, 1), byCard["GAP-PDU"].Subscription!.ExpiresOn);
                Assert.Equal(purchased.Id, byCard["GAP-PDU"].DeviceId);
                Assert.False(byCard["GAP-UPS"].Succeeded);
                Assert.Equal(LicensingErrorCode.FamilyMismatch, byCard["GAP-UPS"].ErrorCode);

                var gate = new SubscriptionGate(machineA.Store);
                Assert.True(gate.IsLicensedForUpdate(purchased, new DateTime(2025, 9, 2)));
                Assert.True(gate.IsLicensedForUpdate(included, new DateTime(2025, 9, 2)));
                Assert.False(gate.IsLicensedForUpdate(wrongFamily, new DateTime(2025, 9, 2)));
                // One card still failed, so the pending copy stays for a later retry.
                Assert.True(File.Exists(machineA.Folder.PendingRequestPath(export.RequestId)));
            }
        }

        [Fact]
        public async Task A_tampered_response_is_rejected_and_nothing_is_stored()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 9, 1)))
            {
                env.Database.AddActivationId("AID-T1", "SWNMC3SU-1Y-DIGI");
                var device = LicensingTestEnvironment.Device("TAMPER1", ApplicationType.SU, "28:29:86:00:11:01");
                var machineA = env.NewManager();
                var requestFile = Path.Combine(env.NewDataFolder(), "req.json");
                machineA.ExportActivationRequest(new[] { new ActivationRequest(device, "AID-T1") }, requestFile);
                var responseFile = Path.Combine(env.NewDataFolder(), "resp.json");
                await env.SignedInManager().SubmitActivationRequestAsync(requestFile, responseFile, TestTimeout.Token());

                // Someone turns the 1-year term into 6 years on the way back, keeping the record self-consistent.
                var text = File.ReadAllText(responseFile)
                    .Replace("\"partNumber\": \"SWNMC3SU-1Y-DIGI\"", "\"partNumber\": \"SWNMC3SU-6Y-DIGI\"")
                    .Replace("\"termYears\": 1", "\"termYears\": 6")
                    .Replace("\"expiresOn\": \"2026-09-01\"", "\"expiresOn\": \"2031-09-01\"");
                Assert.Contains("2031-09-01", text);
                File.WriteAllText(responseFile, text);

                var imported = machineA.ImportActivationResponse(responseFile);
                var outcome = Assert.Single(imported.Outcomes);
                Assert.False(outcome.Succeeded);
                Assert.Equal(LicensingErrorCode.SignatureInvalid, outcome.ErrorCode);
                Assert.Contains("does not match its content", outcome.Message);
                Assert.Empty(machineA.Store.All());
                Assert.False(new SubscriptionGate(machineA.Store).IsLicensedForUpdate(device, new DateTime(2025, 9, 2)));
            }
        }

        [Fact]
        public async Task A_response_imported_into_another_data_folder_still_only_stores_verified_licences()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 9, 1)))
            {
                env.Database.AddActivationId("AID-ELSE", "SWNMC3SU-1Y-DIGI");
                var device = LicensingTestEnvironment.Device("ELSE1", ApplicationType.SY, "28:29:86:00:13:01");
                var requestFile = Path.Combine(env.NewDataFolder(), "req.json");
                env.NewManager().ExportActivationRequest(new[] { new ActivationRequest(device, "AID-ELSE") }, requestFile);
                var responseFile = Path.Combine(env.NewDataFolder(), "resp.json");
                await env.SignedInManager().SubmitActivationRequestAsync(requestFile, responseFile, TestTimeout.Token());

                var elsewhere = env.NewManager();
                var imported = elsewhere.ImportActivationResponse(responseFile);
                Assert.False(imported.MatchedPendingRequest);
                Assert.True(Assert.Single(imported.Outcomes).Succeeded);
                Assert.Equal("AID-ELSE", elsewhere.Store.Current("ELSE1")!.ActivationId);
            }
        }

        [Fact]
        public async Task Files_are_checked_for_what_they_are()
        {
            using (var env = new LicensingTestEnvironment(new DateTime(2025, 9, 1)))
            {
                var machineA = env.NewManager();
                var requestFile = Path.Combine(env.NewDataFolder(), "req.json");
                machineA.ExportActivationRequest(new[] { new ActivationRequest(LicensingTestEnvironment.Device("F1", ApplicationType.SU)) }, requestFile);

                // Importing the request instead of the response says what to do.
                var wrongWay = Assert.Throws<LicensingException>(() => machineA.ImportActivationResponse(requestFile));
                Assert.Equal(LicensingErrorCode.InvalidFile, wrongWay.Code);
                Assert.Contains("submit it on the internet-facing machine first", wrongWay.Message);

                var junk = Path.Combine(env.NewDataFolder(), "junk.json");
                File.WriteAllText(junk, "{ not json");
                Assert.Equal(LicensingErrorCode.InvalidFile, Assert.Throws<LicensingException>(() => machineA.ImportActivationResponse(junk)).Code);
                var missing = Assert.Throws<LicensingException>(() => machineA.ImportActivationResponse(junk + ".missing"));
                Assert.Contains("does not exist", missing.Message);

                // Submitting needs a sign-in on machine B.
                var unsigned = env.NewManager();
                var e = await Assert.ThrowsAsync<LicensingException>(() => unsigned.SubmitActivationRequestAsync(requestFile, requestFile + ".resp", TestTimeout.Token()));
                Assert.Equal(LicensingErrorCode.NotSignedIn, e.Code);

                // The request file holds card identities only: no token, no password.
                var text = File.ReadAllText(requestFile);
                Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("token", text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
