using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.StaffConsole.Forms;

namespace Registry.Api.StaffConsole.Pages;

/// <summary>Change where a person lives.</summary>
public sealed class ChangeAddressModel(ConsoleQuery query, PersonLinks links) : RecordFormPage(query, links)
{
    [BindProperty] public AddressForm Address { get; set; } = new();

    protected override string Mutation => "changeCitizenAddress";
    protected override string Selection => "address { line1 line2 suburb city municipalityCode province postalCode }";
    protected override string Changed => "address";
    protected override IReadOnlyCollection<string> FieldIds => AddressForm.FieldIds;

    protected override void Fill(JsonElement citizen) => Address = AddressForm.Of(citizen.GetProperty("address"));

    protected override Dictionary<string, object?> Input(List<FieldError> errors) => new() { ["address"] = Address.Read(errors) };

    protected override IReadOnlyList<RecordValue> Holds(JsonElement citizen) => [new("current-address", "Address", AddressForm.Line(citizen.GetProperty("address")))];

    protected override FieldError InFormWords(FieldError error) =>
        error.Code == Domain.Common.ErrorCodes.NoChange ? error with { Field = "line1", Message = "The record holds this address already. Enter the new address" } : base.InFormWords(error);
}
