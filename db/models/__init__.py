"""Every model, imported so that `Base.metadata` is complete for Alembic and tests."""

from db.base import Base
from db.models.appointments import AppointmentModel
from db.models.checks import CheckPhotoModel, SymptomCheckModel
from db.models.clinics import ClinicModel, ClinicSpeciesModel
from db.models.consultation_reports import (
    ConsultationReportAmendmentModel,
    ConsultationReportModel,
)
from db.models.consultation_rooms import ConsultationRoomModel
from db.models.invites import PetInviteModel
from db.models.payments import PaymentModel
from db.models.pets import PetAccessModel, PetModel
from db.models.records import MedicalRecordModel
from db.models.reminders import ReminderModel
from db.models.support import SupportTicketModel
from db.models.uploads import UploadModel
from db.models.users import UserModel, UserRoleModel
from db.models.vet_invites import VetInviteModel
from db.models.vets import (
    AvailabilityExceptionModel,
    AvailabilityRuleModel,
    SlotModel,
    VetLanguageModel,
    VetModel,
    VetSpeciesModel,
)

__all__ = [
    "AppointmentModel",
    "AvailabilityExceptionModel",
    "AvailabilityRuleModel",
    "Base",
    "CheckPhotoModel",
    "ClinicModel",
    "ClinicSpeciesModel",
    "ConsultationReportAmendmentModel",
    "ConsultationReportModel",
    "ConsultationRoomModel",
    "MedicalRecordModel",
    "PaymentModel",
    "PetAccessModel",
    "PetInviteModel",
    "PetModel",
    "ReminderModel",
    "SlotModel",
    "SupportTicketModel",
    "SymptomCheckModel",
    "UploadModel",
    "UserModel",
    "UserRoleModel",
    "VetInviteModel",
    "VetLanguageModel",
    "VetModel",
    "VetSpeciesModel",
]
