using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Licensing;

namespace SecureNmc.Core.Tests.Simulator
{
    /// <summary>PowerShell passes $null to a .NET string parameter as "": optional text means "none" either way.</summary>
    public class PowerShellNullArgumentTests
    {
        [Fact]
        public void A_card_user_with_an_empty_email_has_no_email()
        {
            Assert.Null(new CardUser("admin", "pw", CardUserKind.Administrator, "").Email);
            Assert.Equal("ops@example.com", new CardUser("mfa", "pw", CardUserKind.MultiFactor, "ops@example.com").Email);
        }

        [Fact]
        public void The_licensing_rehearsal_with_an_empty_signing_key_makes_a_new_key()
        {
            using var host = LicensingRehearsal.Start("");
            Assert.NotNull(host.PublicKey);
        }
    }
}
